// The one rule for coloured output: only on a terminal, and never when NO_COLOR is set to a non-empty value
// (https://no-color.org). Commands pass the result to formatDiagnostics(…, { color }).
export function useColor(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  return stream.isTTY === true && !env.NO_COLOR;
}
