// What loading refused or cleaned, and why: kept with the entry (and with the run), so a page can say what was changed.

export interface CatalogIssue {
  /** Where, as people read a JSON path: `tools[3].description`, or `file` for the whole file. */
  path: string;
  reason: string;
}

export class IssueList {
  readonly list: CatalogIssue[] = [];

  add(path: string, reason: string): void {
    // A lying file could hold thousands of the same problem: the first 100 say enough.
    if (this.list.length < 100) this.list.push({ path, reason });
  }
}
