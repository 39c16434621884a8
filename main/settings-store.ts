/**
 * Desktop settings persisted as JSON in the app's data folder. File access is injected, so the
 * logic is tested in Node; a damaged file falls back to defaults instead of stopping the app.
 */
import {
  desktopSettingsSchema,
  settingsPatchSchema,
  type DesktopSettings,
  type SettingsPatch,
} from '../shared/ipc';

export interface SettingsFiles {
  read(path: string): string | null;
  write(path: string, text: string): void;
}

export class SettingsStore {
  private current: DesktopSettings;

  constructor(
    private readonly path: string,
    private readonly files: SettingsFiles,
    private readonly warn: (message: string) => void = () => undefined,
  ) {
    this.current = this.load();
  }

  get(): DesktopSettings {
    return structuredClone(this.current);
  }

  /** Validates and applies a patch from the page; throws with a reason on bad input. */
  update(patch: unknown): DesktopSettings {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `invalid settings: ${issue?.path.join('.') || '(patch)'} ${issue?.message ?? ''}`.trim(),
      );
    }
    return this.apply(parsed.data);
  }

  /** For the shell itself (e.g. a device token given on the command line). */
  setDeviceToken(token: string | null): void {
    this.current = desktopSettingsSchema.parse({ ...this.current, deviceToken: token });
    this.save();
  }

  private apply(patch: SettingsPatch): DesktopSettings {
    this.current = desktopSettingsSchema.parse({ ...this.current, ...patch });
    this.save();
    return this.get();
  }

  private load(): DesktopSettings {
    const text = this.files.read(this.path);
    if (text === null) return desktopSettingsSchema.parse({});
    try {
      return desktopSettingsSchema.parse(JSON.parse(text));
    } catch (error) {
      this.warn(`settings file ${this.path} is unreadable, using defaults: ${String(error)}`);
      return desktopSettingsSchema.parse({});
    }
  }

  private save(): void {
    this.files.write(this.path, `${JSON.stringify(this.current, null, 2)}\n`);
  }
}
