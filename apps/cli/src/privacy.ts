import { Directory, notificationsMigrations, PreferenceStore } from '@mandate/notifications-app';
import { openServiceDatabase, type Config, type Logger } from '@mandate/runtime';
import { NOTIFICATIONS_SCHEMA } from '../../notifications/src/notifications.service-host';
import { databaseOf } from './projections';

/**
 * `mandate privacy erase`: what Mandate holds of a person outside the log (their notification preferences) is
 * deleted; the address book and the identity provider, which the deployment owns, are named as the steps left.
 * The log holds only the person's opaque user id, so its hash chains and anchors stay intact (docs/security.md).
 */
export const erasePerson = async (options: { city: string; user: string }, config: Config, logger: Logger): Promise<void> => {
  const { url, stop } = await databaseOf(config, logger);
  try {
    const db = await openServiceDatabase({ url, schema: NOTIFICATIONS_SCHEMA, migrations: notificationsMigrations(NOTIFICATIONS_SCHEMA) });
    try {
      const erased = await new PreferenceStore(db, NOTIFICATIONS_SCHEMA).erase(options.city, options.user);
      const listed = Directory.read(config.MANDATE_CONTACTS_FILE).lists(options.city, options.user);
      process.stdout.write(
        `${JSON.stringify(
          {
            city: options.city,
            user: options.user,
            preferences: erased ? 'erased' : 'none kept',
            addressBook: listed ? `still listed: remove the entry from ${config.MANDATE_CONTACTS_FILE} and restart the notifications service` : 'not listed',
            identityProvider: `delete or anonymise the user "${options.user}" in the identity provider, so the id in the log leads to no one`,
          },
          null,
          2,
        )}\n`,
      );
    } finally {
      await db.destroy();
    }
  } finally {
    await stop?.();
  }
};
