/**
 * The admin screen (role with `users.manage`): the users (create, change role, disable or enable,
 * reset a password), the walls' device credentials (issue: kiosk address and QR code; revoke), and
 * who is signed in where right now. Every action is the relay's to allow and to audit; the screen
 * only offers what an admin may do and says the relay's reasons in the reader's language.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import {
  MIN_PASSWORD_LENGTH,
  type DeviceTokenResponse,
  type SessionListResponse,
  type User,
} from '../../../../shared/auth';
import { ROLES, can, type Role } from '../../../../shared/roles';
import { formatKstDateTime } from '../../lib/format-time';
import { useAppStore } from '../../store';
import { adminApi } from './admin-api';
import { takeFocusUser } from './admin-screen';
import { adminErrorText, passwordLengthProblem } from './admin-text';
import { DeviceCredentialDialog } from './DeviceCredentialDialog';
import './admin.css';

/** Who is signed in changes by itself: the list is read again this often while it is shown. */
const SESSIONS_REFRESH_MS = 5000;

type Confirm = { kind: 'disable' | 'revoke' | 'resetTwoFactor'; username: string };
type Load = { state: 'loading' } | { state: 'failed'; message: string } | { state: 'ready' };

export function AdminView() {
  const { t } = useTranslation();
  const me = useAppStore((state) => state.session?.user ?? null);
  const setAdminOpen = useAppStore((state) => state.setAdminOpen);
  const pushToast = useAppStore((state) => state.pushToast);
  const [users, setUsers] = useState<User[]>([]);
  const [sessions, setSessions] = useState<SessionListResponse | null>(null);
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [revision, setRevision] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [confirm, setConfirm] = useState<Confirm | null>(null);
  const [passwordFor, setPasswordFor] = useState<string | null>(null);
  const [credential, setCredential] = useState<DeviceTokenResponse | null>(null);
  const [focus] = useState(takeFocusUser);
  const focusRef = useRef<HTMLTableRowElement>(null);

  const close = useCallback(() => setAdminOpen(false), [setAdminOpen]);
  const info = useCallback((text: string) => pushToast({ tone: 'info', text }), [pushToast]);
  const error = useCallback((text: string) => pushToast({ tone: 'error', text }), [pushToast]);

  useEffect(() => {
    let cancelled = false;
    void adminApi.users().then((result) => {
      if (cancelled) return;
      if (result.ok) {
        setUsers(result.value.users);
        setLoad({ state: 'ready' });
      } else {
        setLoad({ state: 'failed', message: adminErrorText(t, result.error) });
      }
    });
    return () => {
      cancelled = true;
    };
  }, [revision, t]);

  useEffect(() => {
    let cancelled = false;
    const read = () =>
      void adminApi.sessions().then((result) => {
        if (!cancelled && result.ok) setSessions(result.value);
      });
    read();
    const timer = setInterval(read, SESSIONS_REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [revision]);

  useEffect(() => {
    if (load.state === 'ready') focusRef.current?.scrollIntoView({ block: 'center' });
  }, [load.state]);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && credential === null) close();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [close, credential]);

  const sessionsByUser = useMemo(() => {
    const counts = new Map<string, number>();
    for (const s of sessions?.sessions ?? []) {
      counts.set(s.username, (counts.get(s.username) ?? 0) + 1);
    }
    return counts;
  }, [sessions]);

  const replaceUser = (user: User): void =>
    setUsers((current) => current.map((u) => (u.username === user.username ? user : u)));
  const refresh = (): void => setRevision((r) => r + 1);

  /** Runs one admin action on a user, with the row busy meanwhile; the relay's refusal as a toast. */
  const act = async <T,>(
    username: string,
    call: () => Promise<
      { ok: true; value: T } | { ok: false; error: Parameters<typeof adminErrorText>[1] }
    >,
    done: (value: T) => void,
  ): Promise<boolean> => {
    setBusy(username);
    const result = await call();
    setBusy(null);
    if (!result.ok) {
      error(adminErrorText(t, result.error));
      return false;
    }
    done(result.value);
    return true;
  };

  const changeRole = (user: User, role: Role): void =>
    void act(
      user.username,
      () => adminApi.update(user.username, { role }),
      (value) => {
        replaceUser(value.user);
        info(t('admin.roleChanged', { username: user.username, role: t(`roles.${role}`) }));
        refresh();
      },
    );

  const setDisabled = (username: string, disabled: boolean): void =>
    void act(
      username,
      () => adminApi.update(username, { disabled }),
      (value) => {
        replaceUser(value.user);
        info(t(disabled ? 'admin.disabledDone' : 'admin.enabledDone', { username }));
        refresh();
      },
    );

  const issue = (username: string): void =>
    void act(username, () => adminApi.issueDeviceToken(username), setCredential);

  const revoke = (username: string): void =>
    void act(
      username,
      () => adminApi.revokeDeviceTokens(username),
      () => {
        info(t('admin.device.revoked', { username }));
        refresh();
      },
    );

  const resetTwoFactor = (username: string): void =>
    void act(
      username,
      () => adminApi.resetTwoFactor(username),
      () => {
        info(t('admin.twoFactor.resetDone', { username }));
        refresh();
      },
    );

  const runConfirmed = (): void => {
    if (confirm === null) return;
    if (confirm.kind === 'disable') setDisabled(confirm.username, true);
    else if (confirm.kind === 'resetTwoFactor') resetTwoFactor(confirm.username);
    else revoke(confirm.username);
    setConfirm(null);
  };

  /** The confirm bar's question and its button, by what it confirms. */
  const confirmWords = {
    disable: { question: 'admin.confirmDisable', button: 'admin.disable' },
    revoke: { question: 'admin.device.confirmRevoke', button: 'admin.device.revoke' },
    resetTwoFactor: { question: 'admin.twoFactor.confirmReset', button: 'admin.twoFactor.reset' },
  } as const satisfies Record<Confirm['kind'], { question: string; button: string }>;

  if (me === null || !can(me.role, 'users.manage')) return null;

  return (
    <section className="admin" data-testid="admin-view" aria-labelledby="admin-title">
      <div className="admin__toolbar">
        <h2 id="admin-title" className="admin__title">
          {t('admin.title')}
        </h2>
        <div className="header__spacer" />
        <button
          type="button"
          className="panel-button"
          data-testid="admin-refresh"
          onClick={refresh}
        >
          {t('admin.refresh')}
        </button>
        <button
          type="button"
          className="drawer__close"
          data-testid="admin-close"
          aria-label={t('admin.close')}
          title={`${t('admin.close')} (Esc)`}
          onClick={close}
        >
          ×
        </button>
      </div>
      {confirm !== null && (
        <div className="admin__confirm" role="alertdialog" data-testid="admin-confirm-bar">
          <span>{t(confirmWords[confirm.kind].question, { username: confirm.username })}</span>
          <button
            type="button"
            className="panel-button admin__danger"
            data-testid="admin-confirm"
            onClick={runConfirmed}
          >
            {t(confirmWords[confirm.kind].button)}
          </button>
          <button
            type="button"
            className="panel-button"
            data-testid="admin-confirm-cancel"
            onClick={() => setConfirm(null)}
          >
            {t('admin.cancel')}
          </button>
        </div>
      )}
      <div className="admin__columns">
        <div className="admin__main">
          <h3 className="admin__heading">{t('admin.users', { count: users.length })}</h3>
          {load.state !== 'ready' ? (
            <p className="admin-dim" data-testid="admin-status">
              {load.state === 'loading'
                ? t('admin.loading')
                : t('admin.failed', { message: load.message })}
            </p>
          ) : (
            <table className="admin__table" data-testid="admin-users">
              <thead>
                <tr>
                  <th>{t('admin.username')}</th>
                  <th>{t('admin.role')}</th>
                  <th>{t('admin.state')}</th>
                  <th>{t('admin.sessions')}</th>
                  <th>{t('admin.updated')}</th>
                  <th>{t('admin.actions')}</th>
                </tr>
              </thead>
              <tbody>
                {users.map((user) => {
                  const isMe = user.username === me.username;
                  const rowBusy = busy === user.username;
                  const liveCount = sessionsByUser.get(user.username) ?? 0;
                  return (
                    <tr
                      key={user.username}
                      ref={user.username === focus ? focusRef : undefined}
                      className={`${user.disabled ? 'is-disabled' : ''}${user.username === focus ? ' is-focus' : ''}`}
                      data-testid="admin-user-row"
                      data-username={user.username}
                      data-role={user.role}
                      data-disabled={user.disabled}
                    >
                      <td className="admin__name">
                        {user.username}
                        {isMe && <span className="admin__me">{t('admin.you')}</span>}
                      </td>
                      <td>
                        <select
                          data-testid="admin-role-select"
                          aria-label={`${t('admin.role')} ${user.username}`}
                          value={user.role}
                          disabled={rowBusy || isMe}
                          onChange={(event) => changeRole(user, event.target.value as Role)}
                        >
                          {ROLES.map((role) => (
                            <option key={role} value={role}>
                              {t(`roles.${role}`)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <span
                          className={`admin__badge${user.disabled ? ' admin__badge--off' : ''}`}
                          data-testid="admin-user-state"
                        >
                          {user.disabled ? t('admin.disabled') : t('admin.active')}
                        </span>
                        {user.twoFactorEnabled === true && (
                          <span className="admin__badge" data-testid="admin-two-factor-on">
                            {t('admin.twoFactor.on')}
                          </span>
                        )}
                      </td>
                      <td className="admin__num">
                        {liveCount > 0 ? t('admin.sessionCount', { count: liveCount }) : '—'}
                      </td>
                      <td className="admin__num">{formatKstDateTime(user.updatedAtMs)}</td>
                      <td className="admin__actions">
                        <button
                          type="button"
                          className="panel-button"
                          data-testid="admin-reset-password"
                          disabled={rowBusy}
                          onClick={() => setPasswordFor(user.username)}
                        >
                          {t('admin.resetPassword')}
                        </button>
                        {user.twoFactorEnabled === true && (
                          <button
                            type="button"
                            className="panel-button admin__danger"
                            data-testid="admin-reset-two-factor"
                            disabled={rowBusy}
                            onClick={() =>
                              setConfirm({ kind: 'resetTwoFactor', username: user.username })
                            }
                          >
                            {t('admin.twoFactor.reset')}
                          </button>
                        )}
                        {!isMe &&
                          (user.disabled ? (
                            <button
                              type="button"
                              className="panel-button"
                              data-testid="admin-enable"
                              disabled={rowBusy}
                              onClick={() => setDisabled(user.username, false)}
                            >
                              {t('admin.enable')}
                            </button>
                          ) : (
                            <button
                              type="button"
                              className="panel-button admin__danger"
                              data-testid="admin-disable"
                              disabled={rowBusy}
                              onClick={() =>
                                setConfirm({ kind: 'disable', username: user.username })
                              }
                            >
                              {t('admin.disable')}
                            </button>
                          ))}
                        {user.role === 'viewer' && !user.disabled && (
                          <>
                            <button
                              type="button"
                              className="panel-button"
                              data-testid="admin-issue-device"
                              disabled={rowBusy}
                              onClick={() => issue(user.username)}
                            >
                              {t('admin.device.issue')}
                            </button>
                            <button
                              type="button"
                              className="panel-button admin__danger"
                              data-testid="admin-revoke-device"
                              disabled={rowBusy}
                              onClick={() =>
                                setConfirm({ kind: 'revoke', username: user.username })
                              }
                            >
                              {t('admin.device.revoke')}
                            </button>
                          </>
                        )}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}
          {passwordFor !== null && (
            <PasswordReset
              username={passwordFor}
              onDone={() => {
                info(t('admin.passwordDone', { username: passwordFor }));
                setPasswordFor(null);
                refresh();
              }}
              onCancel={() => setPasswordFor(null)}
            />
          )}
          <LiveSessions sessions={sessions} />
        </div>
        <aside className="admin__side">
          <CreateUser
            onCreated={(user) => {
              setUsers((current) =>
                [...current, user].sort((a, b) => a.username.localeCompare(b.username)),
              );
              info(t('admin.create.done', { username: user.username }));
            }}
          />
          <p className="admin-dim admin__hint">{t('admin.device.onlyViewer')}</p>
        </aside>
      </div>
      {credential !== null && (
        <DeviceCredentialDialog credential={credential} onClose={() => setCredential(null)} />
      )}
    </section>
  );
}

function CreateUser({ onCreated }: { onCreated: (user: User) => void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const tooShort = passwordLengthProblem(t, password);
    if (tooShort) {
      setProblem(tooShort);
      return;
    }
    setBusy(true);
    const result = await adminApi.create({ username: username.trim(), password, role });
    setBusy(false);
    if (!result.ok) {
      setProblem(adminErrorText(t, result.error));
      return;
    }
    setProblem(null);
    setUsername('');
    setPassword('');
    onCreated(result.value.user);
  };

  return (
    <form className="admin__form" data-testid="admin-create" onSubmit={(e) => void submit(e)}>
      <h3 className="admin__heading">{t('admin.create.title')}</h3>
      <label className="admin__field">
        <span>{t('admin.username')}</span>
        <input
          data-testid="admin-create-username"
          value={username}
          autoComplete="off"
          spellCheck={false}
          required
          onChange={(event) => setUsername(event.target.value)}
        />
      </label>
      <label className="admin__field">
        <span>{t('admin.create.password')}</span>
        <input
          type="password"
          data-testid="admin-create-password"
          value={password}
          autoComplete="new-password"
          required
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <label className="admin__field">
        <span>{t('admin.role')}</span>
        <select
          data-testid="admin-create-role"
          value={role}
          onChange={(event) => setRole(event.target.value as Role)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </select>
      </label>
      <p className="admin-dim admin__hint">
        {t('admin.create.hint', { min: String(MIN_PASSWORD_LENGTH) })}
      </p>
      <p className="admin__problem" role="alert" data-testid="admin-create-error">
        {problem ?? ''}
      </p>
      <button
        type="submit"
        className="panel-button admin__primary"
        data-testid="admin-create-submit"
        disabled={busy}
      >
        {t('admin.create.submit')}
      </button>
    </form>
  );
}

function PasswordReset({
  username,
  onDone,
  onCancel,
}: {
  username: string;
  onDone: () => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [password, setPassword] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const tooShort = passwordLengthProblem(t, password);
    if (tooShort) {
      setProblem(tooShort);
      return;
    }
    setBusy(true);
    const result = await adminApi.update(username, { password });
    setBusy(false);
    if (!result.ok) setProblem(adminErrorText(t, result.error));
    else onDone();
  };

  return (
    <form
      className="admin__password"
      data-testid="admin-password-form"
      onSubmit={(e) => void submit(e)}
    >
      <label className="admin__field">
        <span>{t('admin.newPassword', { username })}</span>
        <input
          type="password"
          data-testid="admin-password-input"
          value={password}
          autoComplete="new-password"
          autoFocus
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <button
        type="submit"
        className="panel-button admin__primary"
        data-testid="admin-password-save"
        disabled={busy}
      >
        {t('admin.save')}
      </button>
      <button type="button" className="panel-button" onClick={onCancel}>
        {t('admin.cancel')}
      </button>
      <p className="admin__problem" role="alert" data-testid="admin-password-error">
        {problem ?? ''}
      </p>
    </form>
  );
}

function LiveSessions({ sessions }: { sessions: SessionListResponse | null }) {
  const { t } = useTranslation();
  const list = sessions?.sessions ?? [];
  return (
    <div className="admin__sessions">
      <h3 className="admin__heading">{t('admin.live.title', { count: list.length })}</h3>
      {sessions !== null && (
        <p className="admin-dim" data-testid="admin-sessions-scope" data-scope={sessions.scope}>
          {sessions.scope === 'cluster' ? t('admin.live.cluster') : t('admin.live.local')}
        </p>
      )}
      {list.length === 0 ? (
        <p className="admin-dim">{t('admin.live.none')}</p>
      ) : (
        <table className="admin__table" data-testid="admin-sessions">
          <thead>
            <tr>
              <th>{t('admin.live.user')}</th>
              <th>{t('admin.role')}</th>
              <th>{t('admin.live.client')}</th>
              <th>{t('admin.live.instance')}</th>
              <th>{t('admin.live.address')}</th>
              <th>{t('admin.live.since')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((s) => (
              <tr
                key={s.socketId}
                data-testid="admin-session-row"
                data-username={s.username}
                data-client={s.client}
              >
                <td className="admin__name">{s.username}</td>
                <td>{t(`roles.${s.role}`)}</td>
                <td>{t(`admin.clientKind.${s.client}`)}</td>
                <td>{s.instance}</td>
                <td className="admin__num">{s.address}</td>
                <td className="admin__num">{formatKstDateTime(s.connectedAtMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
