import { useState } from 'react';
import { useLanguage, useT } from '../../i18n/i18n';
import { formatDateTime } from '../../lib/format';
import { bridge } from '../../store/bridge-ref';
import { refusal } from './refusal';
import { AdminTable, FormError, SectionHead } from './fields';
import { useRemote } from './use-remote';

/** Where this user is signed in; signing out the others ends those sessions at once. */
export function DevicesSection() {
  const t = useT();
  const language = useLanguage();
  const devices = useRemote('devices.list', {});
  const [note, setNote] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const others = devices.value?.devices.filter((device) => !device.current) ?? [];

  async function act(work: () => Promise<string | null>) {
    try {
      setNote(await work());
      setFailure(null);
    } catch (error) {
      setFailure(refusal(error).message);
    }
    devices.reload();
  }

  return (
    <section className="settings-section" aria-label={t('devices.title')}>
      <SectionHead title={t('devices.title')}>
        <button
          type="button"
          className="button button-small"
          disabled={others.length === 0}
          onClick={() => void act(async () => t('devices.signedOut', { count: (await bridge().invoke('devices.signOutOthers', {})).revoked }))}
        >
          {t('devices.signOutOthers')}
        </button>
      </SectionHead>
      {note && <p role="status" className="muted small">{note}</p>}
      <FormError message={failure ?? devices.error?.message ?? null} />
      <AdminTable caption={t('devices.title')} columns={[t('devices.device'), t('devices.signedIn'), t('tokens.lastUsed')]}>
        {devices.value?.devices.map((device) => (
          <tr key={device.id}>
            <td>
              {device.name} {device.current && <span className="badge badge-accent">{t('devices.this')}</span>}
            </td>
            <td>{formatDateTime(device.createdAt, language)}</td>
            <td>{device.lastUsedAt === null ? t('tokens.never') : formatDateTime(device.lastUsedAt, language)}</td>
            <td className="row-actions">
              {!device.current && (
                <button
                  type="button"
                  className="button button-small"
                  aria-label={t('devices.signOutNamed', { name: device.name })}
                  onClick={() =>
                    void act(async () => {
                      await bridge().invoke('devices.signOut', { id: device.id });
                      return null;
                    })
                  }
                >
                  {t('devices.signOut')}
                </button>
              )}
            </td>
          </tr>
        ))}
      </AdminTable>
    </section>
  );
}
