import Box from '@material-ui/core/Box';
import { Link } from '@backstage/core-components';
import { useGoldenPathsLinks } from './links';

/** The plugin's views, linked from each page; the current one is text, not a link. */
export type GoldenPathsView =
  | 'approvals'
  | 'requests'
  | 'request'
  | 'killSwitches';

/**
 * Links between the plugin's pages (the inbox is the app's nav item; the requests list and the
 * operator's kill switches are reached from here).
 */
export function PluginNav(props: { current: GoldenPathsView }) {
  const links = useGoldenPathsLinks();
  const items: { view: GoldenPathsView; label: string; to: string }[] = [
    { view: 'approvals', label: 'Approvals inbox', to: links.approvals() },
    { view: 'requests', label: 'All requests', to: links.requests() },
    { view: 'killSwitches', label: 'Kill switches', to: links.killSwitches() },
  ];
  return (
    <Box mb={2} component="nav" aria-label="Golden paths">
      {items.map((item, i) => (
        <span key={item.view}>
          {i > 0 && ' · '}
          {item.view === props.current ? (
            <span aria-current="page">{item.label}</span>
          ) : (
            <Link to={item.to}>{item.label}</Link>
          )}
        </span>
      ))}
    </Box>
  );
}
