/** Upload a file plus form fields as multipart/form-data. */
import { writeFileSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '@sess/testkit';
import { Session } from 'sess';

const dir = await mkdtemp(join(tmpdir(), 'sess-upload-'));
const path = join(dir, 'report.csv');
writeFileSync(path, 'id,value\n1,42\n2,43\n');

const server = await startTestServer();
try {
  await using s = new Session();
  const res = await s.post(`${server.url}/post`, {
    data: { title: 'Quarterly report' },
    files: {
      report: ['report.csv', await readFile(path), 'text/csv'],
      notes: new Blob(['free text'], { type: 'text/plain' }),
    },
  });
  const echo = res.json<{
    form: Record<string, string>;
    files: Record<string, string>;
    headers: Record<string, string>;
  }>();
  console.log('status', res.statusCode);
  console.log('form fields the server saw:', echo.form);
  console.log('files the server saw:', echo.files);
  console.log('content-type:', echo.headers['Content-Type']);
} finally {
  await server.close();
}
