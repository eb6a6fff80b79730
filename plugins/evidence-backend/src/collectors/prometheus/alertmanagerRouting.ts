import { parse } from 'yaml';

interface RouteNode {
  receiver?: string;
  continue?: boolean;
  match?: Record<string, string>;
  match_re?: Record<string, string>;
  matchers?: string[];
  routes?: RouteNode[];
}

/** The receivers an alert with `labels` reaches, and whether every one is the root's (the default). */
export interface AlertRouting {
  receivers: string[];
  defaultReceiver: boolean;
}

type Matcher = (labels: Record<string, string>) => boolean;

/** A route node with its matchers compiled. */
interface CompiledRoute {
  receiver?: string;
  continue: boolean;
  matches: Matcher;
  routes: CompiledRoute[];
}

/**
 * Compiles Alertmanager's `config.original` into a router that walks the route tree as
 * Alertmanager does: children in order, the first match wins unless it sets `continue`, a node
 * with no matching child delivers to its own (or inherited) receiver.
 *
 * Every matcher is compiled here, not when an alert is routed: a regex JavaScript cannot parse
 * throws from this call, inside the collector's Alertmanager step, so that step fails and the
 * routing reads as unknown instead of the error escaping from the middle of the writes.
 */
export function createAlertRouter(
  configYaml: string,
): (labels: Record<string, string>) => AlertRouting {
  const config = (parse(configYaml) ?? {}) as { route?: RouteNode };
  const root = compileRoute(config.route ?? {});
  const rootReceiver = root.receiver ?? '';

  const walk = (
    node: CompiledRoute,
    inherited: string,
    labels: Record<string, string>,
  ): string[] => {
    const receiver = node.receiver ?? inherited;
    const found: string[] = [];
    for (const child of node.routes) {
      if (!child.matches(labels)) continue;
      found.push(...walk(child, receiver, labels));
      if (!child.continue) break;
    }
    return found.length > 0 ? found : [receiver];
  };

  return labels => {
    const delivered = walk(root, rootReceiver, labels);
    const receivers = [...new Set(delivered)].filter(r => r);
    // The default receiver is the root's, however the alert got there: a grouping-only route
    // without a receiver of its own, or one naming the root's receiver, delivers exactly as
    // the root would (scorecards' alerts-route-to-owner needs another receiver).
    return {
      receivers,
      defaultReceiver: delivered.every(r => r === rootReceiver),
    };
  };
}

function compileRoute(node: RouteNode): CompiledRoute {
  return {
    receiver: node.receiver,
    continue: node.continue === true,
    matches: compileMatchers(node),
    routes: (node.routes ?? []).map(compileRoute),
  };
}

function compileMatchers(node: RouteNode): Matcher {
  const checks: Matcher[] = [];
  for (const [name, value] of Object.entries(node.match ?? {})) {
    checks.push(labels => (labels[name] ?? '') === String(value));
  }
  for (const [name, re] of Object.entries(node.match_re ?? {})) {
    const regex = anchored(String(re));
    checks.push(labels => regex.test(labels[name] ?? ''));
  }
  for (const text of node.matchers ?? []) {
    const m =
      /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(?:"((?:[^"\\]|\\.)*)"|(.*?))\s*$/.exec(
        text,
      );
    if (!m) {
      checks.push(() => false);
      continue;
    }
    const [, name, op] = m;
    const value = m[3] !== undefined ? m[3].replace(/\\(.)/g, '$1') : m[4];
    if (op === '=') checks.push(labels => (labels[name] ?? '') === value);
    if (op === '!=') checks.push(labels => (labels[name] ?? '') !== value);
    if (op === '=~' || op === '!~') {
      const regex = anchored(value);
      const negate = op === '!~';
      checks.push(labels => regex.test(labels[name] ?? '') !== negate);
    }
  }
  return labels => checks.every(check => check(labels));
}

/**
 * Alertmanager's regexes are Go RE2, anchored at both ends. Go sets case-insensitive or
 * dot-matches-newline mode for the whole expression with a leading `(?i)`, `(?s)` or `(?is)`,
 * which JavaScript cannot parse: it becomes the RegExp flag. Other Go-only syntax still throws.
 */
function anchored(re: string): RegExp {
  const leadingFlags = /^\(\?([is]+)\)/.exec(re);
  const flags = leadingFlags ? [...new Set(leadingFlags[1])].join('') : '';
  const body = leadingFlags ? re.slice(leadingFlags[0].length) : re;
  return new RegExp(`^(?:${body})$`, flags);
}
