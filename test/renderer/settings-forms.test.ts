import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { passwordChangeBody } from '../../common/account-api';
import { adminUserCreateBody, adminWidgetUpdateBody } from '../../common/admin-api';
import { checkWith } from '../../renderer/src/components/settings/form-errors';
import { rangesToText, textToRanges } from '../../renderer/src/components/settings/opening-hours-text';
import { translator } from '../../renderer/src/i18n/translate';

// The Settings forms check with the server's own schemas and say each problem in the desk's language.

describe('Settings forms: the server’s rules in the desk’s words', () => {
  it('names every wrong field of a new operator, in Polish', () => {
    const result = checkWith(adminUserCreateBody, { name: ' ', email: 'olga@', role: 'boss', password: 'qwerty123', source_ids: [3, 3] }, translator('pl'));
    assert.equal(result.ok, false);
    assert.deepEqual(!result.ok && result.errors, {
      name: 'To pole jest wymagane.',
      email: 'Podaj prawidłowy adres e-mail.',
      role: 'Nieprawidłowa wartość.',
      password: 'To jedno z najczęstszych haseł; wybierz inne.',
      source_ids: 'Każda wartość tylko raz.',
    });
  });

  it('tells a short password from a common one, and passes a good body through the schema', () => {
    const t = translator('ru');
    const short = checkWith(passwordChangeBody, { current_password: '', password: 'abc' }, t);
    assert.deepEqual(!short.ok && short.errors, { current_password: 'Это поле обязательно.', password: 'Пароль должен быть не короче 8 символов.' });
    const fine = checkWith(passwordChangeBody, { current_password: 'password', password: 'violet-harbour-42' }, t);
    assert.deepEqual(fine, { ok: true, data: { current_password: 'password', password: 'violet-harbour-42' } });
  });

  it('says what a widget colour, domain, time zone and opening range must look like', () => {
    const result = checkWith(
      adminWidgetUpdateBody,
      { settings: { color: 'red', allowed_domains: ['shop example'], time_zone: 'Mars/Olympus', opening_hours: { monday: textToRanges('09:00-17:00, 18:00') } } },
      translator('en'),
    );
    assert.deepEqual(!result.ok && result.errors, {
      'settings.color': 'A colour as #RRGGBB, for example #2563eb.',
      'settings.allowed_domains.0': 'A host name such as shop.example.com.',
      'settings.time_zone': 'A time zone such as Europe/Warsaw or UTC.',
      'settings.opening_hours.monday.1.to': 'Each range is from-to as HH:MM-HH:MM, ending at another time than it starts.',
    });
  });

  it('reads a day’s opening hours as typed and writes them back the same way', () => {
    assert.deepEqual(textToRanges(' 09:00-13:00 ,14:00 – 18:00, '), [
      { from: '09:00', to: '13:00' },
      { from: '14:00', to: '18:00' },
    ]);
    assert.equal(rangesToText(textToRanges('09:00-13:00, 14:00-18:00')), '09:00-13:00, 14:00-18:00');
    assert.deepEqual(textToRanges(''), []);
  });
});
