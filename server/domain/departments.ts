import type { Store } from '../store/contract';
import { InvalidFieldError, NotVisibleError } from './errors';

// Departments: deleting one that users or chats still name is refused. Detaching instead would widen
// access: a moderator limited to only that department would see every chat of their sources, and its
// chats would become visible to every moderator of their source.

export async function deleteDepartment(store: Store, id: number): Promise<void> {
  await store.transaction(async (tx) => {
    const usage = await tx.catalog.departmentUsage(id);
    if (!usage) throw new NotVisibleError('resource');
    if (usage.users_count > 0 || usage.chats_count > 0) {
      throw InvalidFieldError.field(
        'department',
        `The department is still in use by ${usage.users_count} user(s) and ${usage.chats_count} chat(s); move them to another department first.`,
      );
    }
    await tx.catalog.deleteDepartment(id);
  });
}
