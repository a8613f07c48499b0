// Planting bugs in a generated module's WebAssembly kernels (mutation tests of the wasm path): the module
// text carries the kernel bytes as the hex string KERNEL_BYTES; this decodes it, rewrites an exact byte
// sequence (which must occur exactly as often as the caller says, so the edit cannot silently miss or hit the wrong kernel), and
// re-encodes it. The caller keeps the byte length unchanged so the binary stays valid.

export function kernelBytesOf(text: string): Uint8Array<ArrayBuffer> {
  const match = /const KERNEL_BYTES =\s*"([0-9a-f]+)";/.exec(text);
  if (match === null) throw new Error("module text has no KERNEL_BYTES");
  const hex = match[1]!;
  return Uint8Array.from({ length: hex.length / 2 }, (_, i) => parseInt(hex.slice(2 * i, 2 * i + 2), 16));
}

function indexesOf(bytes: Uint8Array, needle: number[]): number[] {
  const found: number[] = [];
  for (let i = 0; i + needle.length <= bytes.length; i++) {
    if (needle.every((b, k) => bytes[i + k] === b)) found.push(i);
  }
  return found;
}

/** The module text with the `expected` occurrences of `from` in its kernel bytes replaced by `to` (same length). */
export function mutateKernelBytes(text: string, from: number[], to: number[], expected = 1): string {
  if (from.length !== to.length) throw new Error("a kernel byte edit must keep the length");
  const bytes = kernelBytesOf(text);
  const at = indexesOf(bytes, from);
  if (at.length !== expected) throw new Error(`kernel byte pattern ${from.map((b) => b.toString(16)).join(" ")} occurs ${at.length} times, not ${expected}`);
  for (const i of at) bytes.set(to, i);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return text.replace(/const KERNEL_BYTES =\s*"[0-9a-f]+";/, `const KERNEL_BYTES = "${hex}";`);
}
