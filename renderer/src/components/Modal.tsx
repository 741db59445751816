import { useEffect, useId, useRef, type ReactNode } from 'react';
import { useDesk } from '../store/desk-store';
import { Icon } from './Icon';

/** A modal on the native <dialog>: focus stays inside, Esc closes, the page behind is inert. */
export function Modal({ title, children, closeLabel, wide, className }: { title: string; children: ReactNode; closeLabel: string; wide?: boolean; className?: string }) {
  const ref = useRef<HTMLDialogElement>(null);
  const closeDialog = useDesk((state) => state.closeDialog);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className={`modal${wide ? ' modal-wide' : ''}${className ? ` ${className}` : ''}`}
      aria-labelledby={titleId}
      onClose={closeDialog}
      onClick={(event) => {
        if (event.target === event.currentTarget) closeDialog();
      }}
    >
      <div className="modal-body">
        <header className="modal-head">
          <h2 id={titleId}>{title}</h2>
          <button type="button" className="icon-button icon-button-small" aria-label={closeLabel} onClick={closeDialog}>
            <Icon name="x" size={14} />
          </button>
        </header>
        {children}
      </div>
    </dialog>
  );
}
