import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A self-signed certificate for 127.0.0.1, made once per machine by openssl (arguments only, no
 * shell), for loopback HTTPS hosts: the signed-storage host of the OpenRouter fake must be https, as
 * the server follows nothing else off the provider's origin. A spawned server trusts it through
 * NODE_EXTRA_CA_CERTS (`certFile`).
 */
export interface LoopbackCertificate {
  key: string;
  cert: string;
  certFile: string;
}

const FOLDER = path.join(os.tmpdir(), 'sora2-mcp-test-tls');

export function loopbackCertificate(): LoopbackCertificate {
  const keyFile = path.join(FOLDER, 'key.pem');
  const certFile = path.join(FOLDER, 'cert.pem');
  if (!existsSync(certFile)) {
    // Made in a folder of its own, then renamed into place: parallel test workers never see half a pair.
    const scratch = `${FOLDER}.${process.pid}.${Date.now()}`;
    mkdirSync(scratch, { recursive: true });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        path.join(scratch, 'key.pem'),
        '-out',
        path.join(scratch, 'cert.pem'),
        '-days',
        '3650',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      { stdio: 'ignore' },
    );
    try {
      renameSync(scratch, FOLDER);
    } catch {
      // Another worker made it first.
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  return { key: readFileSync(keyFile, 'utf8'), cert: readFileSync(certFile, 'utf8'), certFile };
}
