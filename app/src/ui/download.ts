/** Saving what the page made as a file: a Blob behind an object URL, clicked as a download link. */

export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function saveText(text: string, filename: string, type: string): void {
  saveBlob(new Blob([text], { type }), filename);
}

/** A file name from the data's name and a suffix: `sleepstudy-model.json`. */
export function fileName(dataName: string, suffix: string): string {
  const base = dataName.replace(/\.[^.]*$/, '').replace(/[^A-Za-z0-9._-]+/g, '_') || 'model';
  return `${base}-${suffix}`;
}
