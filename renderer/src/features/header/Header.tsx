import { useTranslation } from 'react-i18next';
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

export function Header() {
  const { t } = useTranslation();
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
