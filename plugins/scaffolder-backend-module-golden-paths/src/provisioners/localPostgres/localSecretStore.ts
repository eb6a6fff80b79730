import fs from 'node:fs/promises';
import path from 'node:path';

// The local secret store of golden-paths.md §4.9 (`goldenPaths.secrets.local.dir`): one file per
// credential, mode 0600 in directories of mode 0700, written atomically. Only the reference
// `local-secret://gp/<resource>/app` ever leaves the provisioner.

/** The credential a database's application role logs in with. */
export interface DatabaseCredential {
  username: string;
  password: string;
  database: string;
  host: string;
  port: number;
}

const SCHEME = 'local-secret://';
const SEGMENT = /^[a-z0-9][a-z0-9._-]*$/;

export class LocalSecretStore {
  constructor(private readonly dir: string) {}

  /** `local-secret://gp/<resource>/app`. */
  static refFor(resourceName: string): string {
    return `${SCHEME}gp/${resourceName}/app`;
  }

  /** The file behind a reference; refuses anything that could leave the store's directory. */
  pathOf(ref: string): string {
    if (!ref.startsWith(SCHEME))
      throw new Error(`not a local secret reference: ${ref}`);
    const segments = ref.slice(SCHEME.length).split('/');
    if (!segments.every(s => SEGMENT.test(s))) {
      throw new Error(`invalid local secret reference: ${ref}`);
    }
    return `${path.join(path.resolve(this.dir), ...segments)}.json`;
  }

  async read(ref: string): Promise<DatabaseCredential | undefined> {
    try {
      return JSON.parse(await fs.readFile(this.pathOf(ref), 'utf8'));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  async write(ref: string, value: DatabaseCredential): Promise<void> {
    const file = this.pathOf(ref);
    await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
    const tmp = `${file}.${process.pid}.${Date.now()}.tmp`;
    await fs.writeFile(tmp, `${JSON.stringify(value)}\n`, { mode: 0o600 });
    // The process umask cannot widen 0600, but an existing file keeps its mode: set it anyway.
    await fs.chmod(tmp, 0o600);
    await fs.rename(tmp, file);
  }

  async remove(ref: string): Promise<void> {
    await fs.rm(this.pathOf(ref), { force: true });
  }
}
