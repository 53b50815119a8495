import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import path from 'node:path';
import { sharedTokenAuthenticator, usersFileAuthenticator, UsersFileError } from '../../src/apps/http/authentication';
import { tempFolder } from '../support/temp';

const request = (authorization?: string) => ({ headers: authorization === undefined ? {} : { authorization } }) as IncomingMessage;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

describe('who is calling', () => {
  let folder: ReturnType<typeof tempFolder>;
  beforeEach(() => (folder = tempFolder()));
  afterEach(() => folder.remove());
  const usersFile = (content: unknown) => {
    const file = path.join(folder.path, 'users.json');
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('names the user whose token hash matches, and refuses any other token, a prefix of one, or none', async () => {
    const auth = usersFileAuthenticator(
      usersFile({
        users: [
          { id: 'alice', token_sha256: sha256('alice-secret') },
          { id: 'bob', token_sha256: sha256('bob-secret').toUpperCase() },
        ],
      }),
    );
    expect(await auth.authenticate(request('Bearer alice-secret'))).toEqual({ user: 'alice' });
    expect(await auth.authenticate(request('bearer bob-secret'))).toEqual({ user: 'bob' });
    for (const header of ['Bearer alice-secre', 'Bearer ', 'Basic alice-secret', undefined, `Bearer ${sha256('alice-secret')}`]) {
      expect(await auth.authenticate(request(header))).toMatchObject({
        refused: expect.any(String),
        challenge: 'Bearer realm="sora2-mcp"',
      });
    }
  });

  it('refuses a users file that is not JSON, has no users, a bad id, a duplicate or a hash that is not sha256', () => {
    const cases: [unknown, RegExp][] = [
      ['{not json', /cannot be read as JSON/],
      [{ users: [] }, /must hold/],
      [{ users: [{ id: 'a b', token_sha256: sha256('x') }] }, /users\[0\]\.id/],
      [
        {
          users: [
            { id: 'a', token_sha256: sha256('x') },
            { id: 'a', token_sha256: sha256('y') },
          ],
        },
        /appears twice/,
      ],
      [{ users: [{ id: 'a', token_sha256: 'plain-token' }] }, /64 hex digits of sha256/],
    ];
    for (const [content, message] of cases) {
      expect(() => usersFileAuthenticator(usersFile(content))).toThrow(UsersFileError);
      expect(() => usersFileAuthenticator(usersFile(content))).toThrow(message);
    }
  });

  it('reads a users file only as a plain file of bounded size', () => {
    expect(() => usersFileAuthenticator(folder.path)).toThrow(/is a folder, not a regular file\. Name a JSON file of users/);
    expect(() => usersFileAuthenticator(path.join(folder.path, 'missing.json'))).toThrow(/cannot read .*ENOENT/);
  });

  it('with one shared token, everyone who holds it is the one user', async () => {
    const auth = sharedTokenAuthenticator('a-shared-token-0123456789');
    expect(await auth.authenticate(request('Bearer a-shared-token-0123456789'))).toEqual({ user: 'default' });
    expect(await auth.authenticate(request('Bearer a-shared-token-012345678'))).toHaveProperty('refused');
    expect(await sharedTokenAuthenticator(undefined).authenticate(request())).toEqual({ user: 'default' });
  });
});
