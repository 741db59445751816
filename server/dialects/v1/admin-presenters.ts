import type { AdminDepartment, AdminSource, AdminSourceWithSecret, AdminUser, AdminWidget } from '../../../common/admin-api';
import { formatTimestamp } from '../../../common/time';
import type { SourceRecord, UserRecord } from '../../domain/records';
import { readWidgetSettings } from '../../domain/widget-settings';
import type { DepartmentUsage } from '../../store/contract';

// The Admin API's records on the v1 wire. Each field is picked by name, so neither a password hash
// nor a webhook secret can reach an answer by being added to a record; the secret only in the two
// answers that show it once (presentSourceWithSecret).

export function presentAdminUser(user: UserRecord): AdminUser {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    roles: user.roles,
    source_ids: user.source_ids,
    department_ids: user.department_ids,
    is_active: user.is_active,
    created_at: formatTimestamp(user.created_at),
    updated_at: formatTimestamp(user.updated_at),
  };
}

export function presentAdminSource(source: SourceRecord, baseUrl: string): AdminSource {
  return {
    id: source.id,
    name: source.name,
    type: source.type,
    webhook_url: `${baseUrl}/api/v1/webhooks/sources/${source.id}`,
    created_at: formatTimestamp(source.created_at),
    updated_at: formatTimestamp(source.updated_at),
  };
}

export function presentSourceWithSecret(source: SourceRecord, baseUrl: string): AdminSourceWithSecret {
  return { ...presentAdminSource(source, baseUrl), webhook_secret: source.webhook_secret };
}

export function presentAdminDepartment(department: DepartmentUsage): AdminDepartment {
  return {
    id: department.id,
    name: department.name,
    users_count: department.users_count,
    chats_count: department.chats_count,
    created_at: formatTimestamp(department.created_at),
    updated_at: formatTimestamp(department.updated_at),
  };
}

export function presentAdminWidget(widget: SourceRecord): AdminWidget {
  return {
    id: widget.id,
    name: widget.name,
    token: widget.public_token,
    settings: readWidgetSettings(widget.settings),
    created_at: formatTimestamp(widget.created_at),
    updated_at: formatTimestamp(widget.updated_at),
  };
}
