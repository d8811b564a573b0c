// Reading chosen files out of a zip archive (a wheel) in JavaScript, without unpacking the
// rest: worker/dynlibs.js compiles NumPy's extensions from the wheel while Python is still
// being restored. Stored and deflated entries only (what wheels use); no zip64.

const END = 0x06054b50; // end of central directory record
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The entries of the zip `bytes` (Uint8Array) whose name passes `wanted(name)`:
 * a Map name -> Promise<Uint8Array> of the file's contents. Throws on a damaged archive. */
export function extract(bytes, wanted) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let end = bytes.byteLength - 22;
  while (end >= 0 && view.getUint32(end, true) !== END) end--;
  if (end < 0) throw new Error("not a zip archive (no end of central directory)");
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const names = new TextDecoder();
  const found = new Map();
  for (let i = 0; i < count; i++) {
    if (view.getUint32(at, true) !== CENTRAL) throw new Error("damaged zip central directory");
    const method = view.getUint16(at + 10, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const skip = nameLength + view.getUint16(at + 30, true) + view.getUint16(at + 32, true);
    const local = view.getUint32(at + 42, true);
    const name = names.decode(bytes.subarray(at + 46, at + 46 + nameLength));
    at += 46 + skip;
    if (!wanted(name)) continue;
    if (view.getUint32(local, true) !== LOCAL) throw new Error(`damaged zip entry ${name}`);
    const start = local + 30 + view.getUint16(local + 26, true) + view.getUint16(local + 28, true);
    const data = bytes.subarray(start, start + size);
    found.set(name, method === 0 ? Promise.resolve(data.slice())
      : method === 8 ? inflate(data)
        : Promise.reject(new Error(`${name}: zip compression ${method} is not supported`)));
  }
  return found;
}

async function inflate(data) {
  const stream = new Blob([data]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}
