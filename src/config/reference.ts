import { withDefault, type Variable } from './schema';
import { VARIABLES } from './variables';

/**
 * What the table of variables says, for people and registries: the README's configuration table and
 * `server.json`'s environment variables are generated from it (`npm run docs:config`), and tests hold
 * the committed files equal to what this returns.
 */

const README_GROUPS = ['provider', 'files', 'costs', 'behaviour', 'limits', 'storage', 'http', 'team', 'simulator'] as const;

function describe(variable: Variable): string {
  const text = variable.doc ?? variable.summary;
  const main = withDefault(text, variable, (value) => `\`${value}\``);
  const sentences = [/[.)]$/.test(main) ? main : `${main}.`];
  if (variable.secret && !/secret/i.test(text)) sentences.push('A secret: redacted from every message, log and file name.');
  if (variable.replacedBy) sentences.push(`The old name of \`${variable.replacedBy}\`; it still works.`);
  return sentences.join(' ');
}

/** The README's table of variables, between its `config:start` and `config:end` markers. */
export function renderConfigTable(): string {
  const rows = README_GROUPS.flatMap((group) =>
    VARIABLES.filter((variable) => variable.group === group && variable.readBy === undefined).map(
      (variable) => `| \`${variable.name}\` | ${describe(variable).replace(/\|/g, '\\|')} |`,
    ),
  );
  const aws = VARIABLES.filter((variable) => variable.readBy === 'aws-sdk').map((variable) => `\`${variable.name}\``);
  return [
    '| variable | meaning |',
    '| --- | --- |',
    ...rows,
    '',
    `With an S3 store, the AWS SDK reads its own variables (${aws.join(', ')}, profiles); the secret key is redacted like the others.`,
  ].join('\n');
}

/** `server.json`'s `environmentVariables`: what an MCP registry client prompts for. */
export function registryVariables(): Record<string, unknown>[] {
  return VARIABLES.filter((variable) => variable.registry !== undefined).map((variable) => ({
    name: variable.name,
    description: variable.summary.charAt(0).toUpperCase() + variable.summary.slice(1),
    isRequired: false,
    ...(variable.secret ? { isSecret: true } : {}),
    format: 'string',
    ...(variable.registry?.choices && variable.default ? { default: variable.default } : {}),
    ...(variable.registry?.choices ? { choices: [...variable.registry.choices] } : {}),
  }));
}
