/**
 * The open interlock panel, docked where the alert inbox is (over it, so the inbox keeps its
 * scroll and selection underneath); the map stays visible beside it.
 */
import { useAppStore } from '../../store';
import './interlock.css';
import { TcsPanel } from './TcsPanel';
import { ViolationsPanel } from './ViolationsPanel';

export function InterlockPanels() {
  const panel = useAppStore((state) => state.interlockPanel);
  if (panel === 'violations') return <ViolationsPanel />;
  if (panel === 'tcs') return <TcsPanel />;
  return null;
}
