/** Configuration of this package; filled in as its features land. */
export interface Config {}
