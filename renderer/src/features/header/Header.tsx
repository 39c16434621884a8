import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store';
import { ConnectionIndicator } from '../connection/ConnectionIndicator';
import { InterlockButtons } from '../interlock/InterlockButtons';
import { KpiButton } from '../kpis/KpiButton';
import { RegistryButton } from '../registry/RegistryButton';
import { AuditButton } from './AuditButton';
import { KstClock } from './KstClock';
import { LanguageSwitch } from './LanguageSwitch';
import { SoundToggle } from './SoundToggle';
import { UserMenu } from './UserMenu';
import { VehicleCount } from './VehicleCount';

/**
 * The header's drop-down panels (KPIs, registry) share the right-hand corner with the detail
 * panels: opening an alert, a violation or a vehicle closes the drop-down, so the two never lie
 * over each other (seen in the shift walk: the vehicle drawer over the KPI figures).
 */
function useHeaderPanelGivesWayToDetails(): void {
  useEffect(
    () =>
      useAppStore.subscribe((state, previous) => {
        const opened =
          (state.selectedAlertId !== null && state.selectedAlertId !== previous.selectedAlertId) ||
          (state.selectedViolationId !== null &&
            state.selectedViolationId !== previous.selectedViolationId) ||
          (state.selectedIndex !== null && state.selectedIndex !== previous.selectedIndex);
        if (opened && state.headerPanel !== null) state.setHeaderPanel(null);
      }),
    [],
  );
}

export function Header() {
  const { t } = useTranslation();
  useHeaderPanelGivesWayToDetails();
  return (
    <header className="header">
      <h1 className="header__title">{t('app.title')}</h1>
      <VehicleCount />
      <ConnectionIndicator />
      <div className="header__spacer" />
      <InterlockButtons />
      <RegistryButton />
      <KpiButton />
      <AuditButton />
      <SoundToggle />
      <KstClock />
      <LanguageSwitch />
      <UserMenu />
    </header>
  );
}
