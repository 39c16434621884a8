/**
 * The header's way into the interlock panels: violations and TCS hand-offs, each with a count of
 * what waits for someone (major violations not yet asked about; hand-offs waiting for approval or
 * handed back to a person). Every role may look; the panels hide what a role may not do.
 */
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import type { InterlockPanel } from '../../store/interlock-slice';
import { countNeedingSupervisor, countOpenMajor } from './interlock-list';

export function InterlockButtons() {
  const { t } = useTranslation();
  const violations = useAppStore((state) => state.violationsById);
  const dispatches = useAppStore((state) => state.dispatchesById);
  const openMajor = useMemo(() => countOpenMajor(violations), [violations]);
  const waiting = useMemo(() => countNeedingSupervisor(dispatches), [dispatches]);
  return (
    <>
      <PanelButton
        panel="violations"
        testId="open-violations"
        label={t('interlock.headerButton')}
        count={openMajor}
      />
      <PanelButton panel="tcs" testId="open-tcs" label={t('tcs.headerButton')} count={waiting} />
    </>
  );
}

function PanelButton({
  panel,
  testId,
  label,
  count,
}: {
  panel: InterlockPanel;
  testId: string;
  label: string;
  count: number;
}) {
  const open = useAppStore((state) => state.interlockPanel === panel);
  const toggle = (): void => {
    const state = useAppStore.getState();
    // The audit screen covers the map; the panels work beside it.
    state.setAuditOpen(false);
    state.setInterlockPanel(open ? null : panel);
  };
  return (
    <button
      type="button"
      className={`header-button${open ? ' is-active' : ''}`}
      data-testid={testId}
      data-count={count}
      aria-pressed={open}
      onClick={toggle}
    >
      {label}
      {count > 0 && <span className="interlock-badge">{count}</span>}
    </button>
  );
}
