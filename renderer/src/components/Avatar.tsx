import { hueOf, initials } from '../lib/format';

/** Initials on one of eight theme-aware colours, stable per name. */
export function Avatar({ name, size = 'md' }: { name: string; size?: 'sm' | 'md' | 'lg' }) {
  return (
    <span className={`avatar avatar-${size} tone-${hueOf(name) % 8}`} aria-hidden="true">
      {initials(name)}
    </span>
  );
}
