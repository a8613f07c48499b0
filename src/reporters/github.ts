// GitHub Actions workflow commands (annotations): `::error file=F,line=L,col=C,title=T::MESSAGE`, as
// GitHub documents them ("Setting an error message" in the workflow-commands reference). The message is
// escaped with %25 (%), %0D (\r) and %0A (\n); a property value also with %3A (:) and %2C (,), because those
// separate the properties. GitHub shows the annotation on the file and line in the run's summary and in a
// pull request's diff.

export type AnnotationLevel = "error" | "warning" | "notice";

export interface Annotation {
  level: AnnotationLevel;
  /** Path as given on the command line (relative to the checkout in CI). */
  file: string;
  /** 1-based; left out for an annotation on the whole file. */
  line?: number;
  col?: number;
  endLine?: number;
  title?: string;
  message: string;
}

export function escapeData(text: string): string {
  return text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
}

export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

/** One workflow-command line (no newline). */
export function formatAnnotation(a: Annotation): string {
  const properties: [string, string | number | undefined][] = [
    ["file", a.file],
    ["line", a.line],
    ["endLine", a.endLine],
    ["col", a.col],
    ["title", a.title],
  ];
  const props = properties
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(",");
  return `::${a.level} ${props}::${escapeData(a.message)}`;
}
