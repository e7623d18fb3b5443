import {
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
  type UploadHandler,
} from '@remix-run/node';
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { IMPORT_UPLOAD_LIMIT } from '~/components/admin/import-fields';

/** The other fields of the upload form (categories, the basis): a few KiB at most. */
const FIELD_LIMIT = 64 * 1024;
/** Uploads nobody imported are deleted a day later, when someone uploads another. */
const KEEP_MS = 24 * 60 * 60 * 1000;
/** 24 random bytes, base64url: the only name an upload has, unguessable. */
const TOKEN = /^[A-Za-z0-9_-]{32}$/;

export type ImportFormat = 'csv' | 'ndjson';

/** What the mapping step needs about an upload, kept beside it as `{token}.json`. */
export type UploadInfo = {
  adminId: string;
  filename: string;
  format: ImportFormat;
  size: number;
  categories: string[];
  basis: string;
  uploadedAt: string;
};

export type Upload = UploadInfo & { token: string };

/** The file part as it was written, before the rest of the form is checked. */
export type ReceivedFile = { token: string; filename: string; contentType: string; size: number };

export class UploadTooLarge extends Error {
  override name = 'UploadTooLarge';
}

/**
 * Shared by every web process on the machine: each upload is `{token}.data` (the file) and
 * `{token}.json` (who uploaded it and for what), and an import being sent is `{token}.sending`.
 */
export const uploadDirectory = () => join(tmpdir(), 'herald-imports');

const dataPath = (token: string) => join(uploadDirectory(), `${token}.data`);
const sendingPath = (token: string) => join(uploadDirectory(), `${token}.sending`);
const infoPath = (token: string) => join(uploadDirectory(), `${token}.json`);

/**
 * Reads the upload form as it streams: the `file` part goes straight to disk (with backpressure,
 * never held in memory) under a fresh random name, counted against IMPORT_UPLOAD_LIMIT; the other
 * fields are small text. Any failure removes what was written. The caller checks the CSRF token
 * and the rest before keeping the file (`discardUpload` otherwise).
 */
export async function receiveUpload(
  request: Request,
): Promise<{ form: FormData; file: ReceivedFile | null }> {
  await mkdir(uploadDirectory(), { recursive: true, mode: 0o700 });
  const fields = unstable_createMemoryUploadHandler({ maxPartSize: FIELD_LIMIT });
  let file: ReceivedFile | null = null;
  const handler: UploadHandler = async (part) => {
    if (part.filename === undefined) return fields(part);
    if (part.name !== 'file' || !part.filename || file) {
      // Another file field, an empty file input or a second file: read past it, keep nothing.
      for await (const _chunk of part.data) {
        // dropped
      }
      return undefined;
    }
    const token = randomBytes(24).toString('base64url');
    file = { token, filename: part.filename, contentType: part.contentType, size: 0 };
    const received = file;
    const count = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        received.size += chunk.length;
        if (received.size > IMPORT_UPLOAD_LIMIT)
          done(new UploadTooLarge(`over ${IMPORT_UPLOAD_LIMIT} bytes`));
        else done(null, chunk);
      },
    });
    await pipeline(
      Readable.from(part.data),
      count,
      createWriteStream(dataPath(token), { flags: 'wx', mode: 0o600 }),
    );
    return token;
  };
  try {
    const form = await unstable_parseMultipartFormData(request, handler);
    return { form, file };
  } catch (error) {
    const written = file as ReceivedFile | null;
    if (written) await discardUpload(written.token);
    throw error;
  }
}

/** Keeps a received file for the mapping step, and deletes uploads older than a day. */
export async function keepUpload(
  file: ReceivedFile,
  info: Omit<UploadInfo, 'format' | 'size' | 'uploadedAt'>,
) {
  const kept: UploadInfo = {
    ...info,
    format: formatOf(file.filename, file.contentType),
    size: file.size,
    uploadedAt: new Date().toISOString(),
  };
  await writeFile(infoPath(file.token), JSON.stringify(kept), { flag: 'wx', mode: 0o600 });
  await sweepOldUploads();
}

/** An upload of this person, or null: a token of the wrong shape, gone, or someone else's. */
export async function findUpload(token: string, adminId: string): Promise<Upload | null> {
  if (!TOKEN.test(token)) return null;
  let info: UploadInfo;
  try {
    info = JSON.parse(await readFile(infoPath(token), 'utf8')) as UploadInfo;
    await stat(dataPath(token));
  } catch {
    return null;
  }
  return info.adminId === adminId ? { ...info, token } : null;
}

/** The upload's file, to read (a dry run leaves the upload in place). */
export const uploadPath = (upload: Upload) => dataPath(upload.token);

/**
 * Takes the upload for a run: renamed, so that a second click (or another web process) finds it
 * gone and imports nothing twice. Null when someone took it first.
 */
export async function claimUpload(
  upload: Upload,
): Promise<{ path: string; release(): Promise<void> } | null> {
  try {
    await rename(dataPath(upload.token), sendingPath(upload.token));
  } catch {
    return null;
  }
  return {
    path: sendingPath(upload.token),
    // The API refused it: the mapping can be corrected and sent again.
    release: () => rename(sendingPath(upload.token), dataPath(upload.token)).catch(() => undefined),
  };
}

/** Deletes an upload's files, whichever exist. */
export async function discardUpload(token: string): Promise<void> {
  await Promise.all(
    [dataPath(token), sendingPath(token), infoPath(token)].map((path) => rm(path, { force: true })),
  );
}

/** Deletes every upload file older than a day; another process may be deleting the same ones. */
async function sweepOldUploads(now = Date.now()): Promise<void> {
  const names = await readdir(uploadDirectory()).catch(() => [] as string[]);
  await Promise.all(
    names.map(async (name) => {
      const path = join(uploadDirectory(), name);
      const info = await stat(path).catch(() => null);
      if (info && now - info.mtimeMs > KEEP_MS) await rm(path, { force: true }).catch(() => undefined);
    }),
  );
}

/** NDJSON by its extension or type (.ndjson, .jsonl, .json); anything else is read as CSV. */
function formatOf(filename: string, contentType: string): ImportFormat {
  const extension = extname(filename).toLowerCase();
  if (['.ndjson', '.jsonl', '.json'].includes(extension)) return 'ndjson';
  if (extension === '.csv') return 'csv';
  return /ndjson|jsonl|json/i.test(contentType) ? 'ndjson' : 'csv';
}
