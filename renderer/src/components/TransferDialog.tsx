import { useEffect, useId, useState, type FormEvent } from 'react';
import { useT } from '../i18n/i18n';
import { useDesk } from '../store/desk-store';
import { Avatar } from './Avatar';
import { Modal } from './Modal';

export function TransferDialog() {
  const t = useT();
  const row = useDesk((state) => state.openChatRow);
  const me = useDesk((state) => state.session?.user.id ?? null);
  const operators = useDesk((state) => state.operators);
  const operatorsError = useDesk((state) => state.operatorsError);
  const loadOperators = useDesk((state) => state.loadOperators);
  const transfer = useDesk((state) => state.transfer);
  const closeDialog = useDesk((state) => state.closeDialog);
  const [chosen, setChosen] = useState<number | null>(null);
  const [note, setNote] = useState('');
  const noteId = useId();

  useEffect(() => {
    void loadOperators();
  }, [loadOperators]);

  const candidates = (operators ?? []).filter((operator) => operator.id !== me && operator.id !== row?.assignee?.id);
  useEffect(() => {
    if (chosen === null && candidates[0]) setChosen(candidates[0].id);
  }, [candidates, chosen]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (chosen === null) return;
    if (await transfer(chosen, note)) closeDialog();
  };

  return (
    <Modal title={t('transfer.title')} closeLabel={t('transfer.cancel')}>
      <form onSubmit={(event) => void submit(event)} className="modal-form">
        {operatorsError ? (
          <p className="notice notice-danger" role="alert">
            {t('transfer.failed', { reason: operatorsError.message })}
          </p>
        ) : operators === null ? (
          <p className="muted">{t('transfer.loading')}</p>
        ) : candidates.length === 0 ? (
          <p className="muted">{t('transfer.none')}</p>
        ) : (
          <fieldset className="operator-list">
            <legend>{t('transfer.operator')}</legend>
            {candidates.map((operator) => (
              <label key={operator.id} className={`operator${chosen === operator.id ? ' is-chosen' : ''}`}>
                <input type="radio" name="operator" value={operator.id} checked={chosen === operator.id} onChange={() => setChosen(operator.id)} />
                <Avatar name={operator.name} size="sm" />
                <span>{operator.name}</span>
                <span className="muted operator-roles">{operator.roles.join(', ')}</span>
              </label>
            ))}
          </fieldset>
        )}
        <label htmlFor={noteId}>{t('transfer.note')}</label>
        <textarea id={noteId} rows={3} value={note} maxLength={1000} onChange={(event) => setNote(event.target.value)} />
        <footer className="modal-actions">
          <button type="button" className="button button-ghost" onClick={closeDialog}>
            {t('transfer.cancel')}
          </button>
          <button type="submit" className="button button-primary" disabled={chosen === null}>
            {t('transfer.submit')}
          </button>
        </footer>
      </form>
    </Modal>
  );
}
