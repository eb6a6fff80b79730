/*
 * Demo exporter command (§7.2): `node exporter.js --port 9464 [--prometheus-dir <dir>]`.
 * With --prometheus-dir it also writes prometheus.yml and rules.yml there, so a local
 * `prometheus --config.file=<dir>/prometheus.yml` scrapes it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startDemoPrometheusExporter } from './DemoPrometheusExporter';
import {
  demoPrometheusConfigYaml,
  demoPrometheusRulesYaml,
} from './demoPrometheusFiles';

async function main(argv: string[]) {
  const arg = (name: string) => {
    const i = argv.indexOf(name);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const exporter = await startDemoPrometheusExporter({
    port: Number(arg('--port') ?? 9464),
    host: arg('--host') ?? '127.0.0.1',
  });
  const dir = arg('--prometheus-dir');
  if (dir) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(
      path.join(dir, 'prometheus.yml'),
      demoPrometheusConfigYaml({ exporterAddress: exporter.address }),
    );
    fs.writeFileSync(path.join(dir, 'rules.yml'), demoPrometheusRulesYaml());
  }
  process.stdout.write(
    `evidence demo exporter on ${exporter.url}/metrics (Alertmanager stub at /api/v2/status)\n`,
  );
  const stop = () => exporter.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch(error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exit(1);
  });
}
