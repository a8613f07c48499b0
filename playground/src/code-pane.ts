// The generated module beside the editor: TypeScript or JavaScript (a tab each), byte for byte what
// `nnc build` / `nnc build --js` write, with a status line (compiling, compiled in N ms, stale after an error).
export interface CodePane {
  show(ts: string, js: string): void;
  status(text: string, kind: "ok" | "busy" | "stale"): void;
}

export function createCodePane(root: HTMLElement): CodePane {
  let current = { ts: "", js: "" };
  let tab: "ts" | "js" = "ts";
  const bar = document.createElement("div");
  bar.className = "code-tabs";
  const pre = document.createElement("pre");
  pre.id = "module-code";
  const code = document.createElement("code");
  pre.append(code);
  const status = document.createElement("div");
  status.id = "compile-status";
  const render = (): void => {
    code.textContent = tab === "ts" ? current.ts : current.js;
    for (const button of bar.querySelectorAll("button")) button.classList.toggle("active", button.dataset["tab"] === tab);
  };
  for (const [name, label] of [
    ["ts", ".ts"],
    ["js", ".js"],
  ] as const) {
    const button = document.createElement("button");
    button.type = "button";
    button.dataset["tab"] = name;
    button.textContent = label;
    button.addEventListener("click", () => {
      tab = name;
      render();
    });
    bar.append(button);
  }
  root.append(bar, status, pre);
  render();
  return {
    show(ts: string, js: string): void {
      current = { ts, js };
      render();
    },
    status(text: string, kind: "ok" | "busy" | "stale"): void {
      status.textContent = text;
      status.className = `status-${kind}`;
    },
  };
}
