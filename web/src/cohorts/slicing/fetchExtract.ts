export interface DownloadedExtract {
  ipc: Uint8Array;
  /** Set for roles under small-group suppression: cells describing fewer members are hidden. */
  minGroupSize: number;
}

/** Downloads an extract, reporting the share received (for the progress bar). */
export async function fetchExtract(name: string, token: string, onProgress: (fraction: number) => void): Promise<DownloadedExtract> {
  const res = await fetch(`/api/extracts/${name}`, { headers: { Authorization: token } });
  if (!res.ok) throw new Error((await res.json().catch(() => ({}))).error ?? `HTTP ${res.status}`);
  const total = Number(res.headers.get('Content-Length')) || 0;
  const reader = res.body!.getReader();
  const chunks: Uint8Array[] = [];
  let received = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    received += value.byteLength;
    // A progress bar needs twenty steps, not one re-render per network chunk (hundreds of them).
    if (total && Math.floor((received / total) * 20) > Math.floor(((received - value.byteLength) / total) * 20)) onProgress(received / total);
  }
  const bytes = new Uint8Array(received);
  let at = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  onProgress(1);
  return { ipc: bytes, minGroupSize: Number(res.headers.get('X-Min-Group-Size') ?? 0) };
}
