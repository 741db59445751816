import type { MessageKey } from '../i18n/dictionary';
import { useT } from '../i18n/i18n';
import { Modal } from './Modal';

export const SHORTCUTS: readonly (readonly [keys: readonly string[], what: MessageKey])[] = [
  [['J', '↓'], 'shortcuts.next'],
  [['K', '↑'], 'shortcuts.previous'],
  [['Enter', 'O'], 'shortcuts.open'],
  [['Alt+↓', 'Alt+↑'], 'shortcuts.openNext'],
  [['Ctrl+K', '/'], 'shortcuts.search'],
  [['1', '2', '3'], 'shortcuts.tabs'],
  [['R'], 'shortcuts.reply'],
  [['Enter'], 'shortcuts.send'],
  [['/'], 'shortcuts.canned'],
  [['A'], 'shortcuts.assign'],
  [['T'], 'shortcuts.transfer'],
  [['C'], 'shortcuts.close'],
  [['I'], 'shortcuts.details'],
  [['Esc'], 'shortcuts.escape'],
  [['?'], 'shortcuts.help'],
];

export function ShortcutsDialog() {
  const t = useT();
  return (
    <Modal title={t('shortcuts.title')} closeLabel={t('settings.close')} wide>
      <table className="shortcuts">
        <tbody>
          {SHORTCUTS.map(([keys, what]) => (
            <tr key={what}>
              <td>
                {keys.map((key) => (
                  <kbd key={key}>{key}</kbd>
                ))}
              </td>
              <td>{t(what)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}
