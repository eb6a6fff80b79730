/**
 * The form entity refs are compared in: lower-cased, as the catalog matches them and as
 * `CatalogView.members()` returns them. A user signed in as `user:default/Fatima.Haddad` is the
 * member `user:default/fatima.haddad`; records keep the ref as the caller gave it. Every
 * comparison of refs in this plugin goes through here, so a ref in capitals can never slip past a
 * rule that another spelling would meet (GP-A04 was bypassed that way once).
 */
export const refKey = (ref: string) => ref.toLocaleLowerCase('en-US');
