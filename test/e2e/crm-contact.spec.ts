import { expect, openChat, signIn, test } from './fixtures';

// The customer panel shows the CRM client a chat's customer is linked to (the demo links Tomasz
// Nowak's website chat to his contact); a chat whose customer matches no client shows none.

test('the customer panel shows the linked CRM client', async ({ page, stack }) => {
  await signIn(page, stack);
  await openChat(page, /Tomasz Nowak/);
  // The panel beside the chat is open by default.
  const panel = page.getByRole('complementary', { name: 'Customer' });
  await expect(panel.getByText('CRM client')).toBeVisible();
  await expect(panel.getByText('Nowak Logistyka sp. z o.o.')).toBeVisible();
  await expect(panel.locator('.details-contact').getByRole('link', { name: 'tomasz.nowak@example.pl' })).toBeVisible();

  // A chat without a linked client has no such entry.
  await openChat(page, /Agnieszka Lewandowska/);
  await expect(panel.getByText('CRM client')).toHaveCount(0);
});
