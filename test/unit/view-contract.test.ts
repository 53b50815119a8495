import { TOOLSET_TABLES } from '../../src/mcp/toolsets';
import { VIEW_TOOLS } from '../../src/mcp/view-contract';

describe("the view's tool names", () => {
  it.each(Object.keys(VIEW_TOOLS) as (keyof typeof VIEW_TOOLS)[])(
    'are the %s set’s own names for retrieve, download, remix, delete and sequence',
    (set) => {
      const byOperation = Object.fromEntries(TOOLSET_TABLES[set].map((row) => [row.operation, row.name]));
      expect(VIEW_TOOLS[set]).toEqual({
        retrieve: byOperation.retrieve,
        download: byOperation.download ?? byOperation.downloadInline,
        remix: byOperation.remix,
        delete: byOperation.delete,
        sequence: byOperation.sequence,
      });
    },
  );
});
