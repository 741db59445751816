import type { SourceType } from '../../../common/api';

const SHORT: Record<SourceType, string> = { widget: 'Web', telegram: 'TG', vk: 'VK', whatsapp: 'WA', email: '@', api: 'API' };

export function SourceBadge({ type, name }: { type: SourceType; name: string }) {
  return (
    <span className={`source source-${type}`} title={name}>
      {SHORT[type]}
    </span>
  );
}
