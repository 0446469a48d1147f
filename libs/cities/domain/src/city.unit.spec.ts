import { ForbiddenError, IllegalStateError, NotFoundError, ValidationError, type CommandMetadata } from '@mandate/kernel';
import { DeciderSpecification } from '@mandate/testing';
import { cityDecider, type CityCreated, type CityEvent } from './city';

const now = new Date('2026-12-07T03:00:00Z');
const operator: CommandMetadata = { actorId: 'op-1', role: 'operator', agencyId: null, cityId: 'platform', now };
const audit = { actorId: 'op-1', role: 'operator' as const, agencyId: null, cityId: 'platform' };
const spec = DeciderSpecification.for(cityDecider);

const created: CityCreated = {
  type: 'CityCreated',
  data: {
    cityId: 'quang-ninh',
    settings: { name: 'Tỉnh Quảng Ninh', level: 'province', timeZone: 'Asia/Ho_Chi_Minh', dueSoonDays: 3, reporting: {}, identityProvider: null },
    reason: 'Tỉnh đăng ký sử dụng nền tảng',
    createdAt: now.toISOString(),
  },
  metadata: audit,
};
const settings = created.data.settings;
const suspended: CityEvent = {
  type: 'CitySuspended',
  data: { cityId: 'quang-ninh', settings, reason: 'Hợp đồng tạm dừng', suspendedAt: now.toISOString() },
  metadata: audit,
};

describe('City: the platform operator onboards and runs the cities it serves', () => {
  describe('CreateCity', () => {
    it('creates a province with the defaults: Vietnam time, due soon 3 days before, NĐ 09 calendar', () =>
      spec([])
        .when({
          type: 'CreateCity',
          data: { cityId: 'quang-ninh', name: ' Tỉnh Quảng Ninh ', level: 'province', reason: 'Tỉnh đăng ký sử dụng nền tảng' },
          metadata: operator,
        })
        .then([created]));

    it('keeps the city’s own settings: a reporting calendar departing from the decree', () =>
      spec([])
        .when({
          type: 'CreateCity',
          data: {
            cityId: 'ha-noi',
            name: 'Thành phố Hà Nội',
            level: 'city',
            dueSoonDays: 5,
            reporting: { cutoffDay: 10, dueDay: { quarter: 18 } },
            reason: 'Onboarding',
          },
          metadata: operator,
        })
        .then([
          {
            type: 'CityCreated',
            data: {
              cityId: 'ha-noi',
              settings: {
                name: 'Thành phố Hà Nội',
                level: 'city',
                timeZone: 'Asia/Ho_Chi_Minh',
                dueSoonDays: 5,
                reporting: { cutoffDay: 10, dueDay: { quarter: 18 } },
                identityProvider: null,
              },
              reason: 'Onboarding',
              createdAt: now.toISOString(),
            },
            metadata: audit,
          },
        ]));

    it('refuses anyone but the operator: a city office cannot create a city', () =>
      spec([])
        .when({
          type: 'CreateCity',
          data: { cityId: 'quang-ninh', name: 'Tỉnh Quảng Ninh', level: 'province', reason: 'x' },
          metadata: { ...operator, role: 'office', cityId: 'ha-noi' },
        })
        .thenThrows(ForbiddenError, 'operator-only'));

    it('refuses an id that URLs, topics and tokens cannot carry, and the operator’s pseudo-city', () => {
      for (const cityId of ['Quang Ninh', 'quảng-ninh', '-x', 'platform', '']) {
        spec([])
          .when({ type: 'CreateCity', data: { cityId, name: 'Tỉnh', level: 'province', reason: 'x' }, metadata: operator })
          .thenThrows(ValidationError, 'invalid-city-id');
      }
    });

    it('refuses a second city with the same id', () =>
      spec([created])
        .when({ type: 'CreateCity', data: { cityId: 'quang-ninh', name: 'Tỉnh Quảng Ninh', level: 'province', reason: 'x' }, metadata: operator })
        .thenThrows(IllegalStateError, 'city-exists'));

    it('refuses settings out of range, naming the field', () => {
      const create = (extra: object) =>
        spec([]).when({
          type: 'CreateCity',
          data: { cityId: 'lao-cai', name: 'Tỉnh Lào Cai', level: 'province', reason: 'x', ...extra } as never,
          metadata: operator,
        });
      create({ timeZone: 'Mars/Olympus' }).thenThrows(ValidationError, 'invalid-time-zone');
      create({ dueSoonDays: -1 }).thenThrows(ValidationError, 'invalid-due-soon-days');
      create({ level: 'district' }).thenThrows(ValidationError, 'invalid-city-level');
      create({ level: undefined }).thenThrows(ValidationError, 'invalid-city-level');
      create({ reporting: { cutoffDay: 31 } }).thenThrows(ValidationError, 'invalid-reporting-calendar');
      create({ reporting: { dueDay: { fortnight: 3 } } }).thenThrows(ValidationError, 'invalid-reporting-calendar');
      create({ name: '  ' }).thenThrows(ValidationError, 'invalid-city-name');
      create({ reason: ' ' }).thenThrows(ValidationError, 'reason-required');
      create({ identityProvider: { issuer: 'http://sso.quangninh.gov.vn/realms/qn', audience: 'mandate' } }).thenThrows(
        ValidationError,
        'invalid-identity-provider',
      );
      create({ identityProvider: { issuer: 'not a url', audience: 'mandate' } }).thenThrows(ValidationError, 'invalid-identity-provider');
      create({ identityProvider: { issuer: 'https://sso.laocai.gov.vn/realms/lc', audience: ' ' } }).thenThrows(ValidationError, 'invalid-identity-provider');
      create({ identityProvider: { issuer: 'https://sso.laocai.gov.vn/realms/lc', audience: 'mandate', claims: { city: 'has space' } } }).thenThrows(
        ValidationError,
        'invalid-identity-provider',
      );
    });

    it('takes the province’s own identity provider: discovery and the usual claim names unless given', () =>
      spec([])
        .when({
          type: 'CreateCity',
          data: {
            cityId: 'quang-ninh',
            name: 'Tỉnh Quảng Ninh',
            level: 'province',
            identityProvider: { issuer: 'https://sso.quangninh.gov.vn/realms/qn/', audience: 'mandate', claims: { city: 'tinh' } },
            reason: 'Tỉnh đăng ký sử dụng nền tảng',
          },
          metadata: operator,
        })
        .then([
          {
            ...created,
            data: {
              ...created.data,
              settings: {
                ...created.data.settings,
                identityProvider: {
                  issuer: 'https://sso.quangninh.gov.vn/realms/qn',
                  audience: 'mandate',
                  jwksUrl: null,
                  claims: { city: 'tinh', role: 'mandate_role', agency: 'mandate_agency' },
                },
              },
            },
          },
        ]));
  });

  describe('ChangeCitySettings', () => {
    it('gives a city its own identity provider, and takes it away (null: the deployment’s again)', () => {
      const provider = {
        issuer: 'http://127.0.0.1:8080/realms/qn',
        audience: 'mandate',
        jwksUrl: 'http://127.0.0.1:8080/realms/qn/certs',
        claims: { city: 'c', role: 'r', agency: 'a' },
      };
      const withProvider = { ...settings, identityProvider: provider };
      spec([created])
        .when({
          type: 'ChangeCitySettings',
          data: { cityId: 'quang-ninh', changes: { identityProvider: provider }, reason: 'SSO của tỉnh' },
          metadata: operator,
        })
        .then([
          {
            type: 'CitySettingsChanged',
            data: {
              cityId: 'quang-ninh',
              changes: { identityProvider: provider },
              settings: withProvider,
              status: 'active',
              reason: 'SSO của tỉnh',
              changedAt: now.toISOString(),
            },
            metadata: audit,
          },
        ]);
      const given: CityEvent = {
        type: 'CitySettingsChanged',
        data: {
          cityId: 'quang-ninh',
          changes: { identityProvider: provider },
          settings: withProvider,
          status: 'active',
          reason: 'SSO của tỉnh',
          changedAt: now.toISOString(),
        },
        metadata: audit,
      };
      spec([created, given])
        .when({
          type: 'ChangeCitySettings',
          data: { cityId: 'quang-ninh', changes: { identityProvider: null }, reason: 'Dùng SSO quốc gia' },
          metadata: operator,
        })
        .then([
          {
            type: 'CitySettingsChanged',
            data: {
              cityId: 'quang-ninh',
              changes: { identityProvider: null },
              settings,
              status: 'active',
              reason: 'Dùng SSO quốc gia',
              changedAt: now.toISOString(),
            },
            metadata: audit,
          },
        ]);
    });

    it('records only what changes, with the reason', () =>
      spec([created])
        .when({
          type: 'ChangeCitySettings',
          data: { cityId: 'quang-ninh', changes: { name: 'Tỉnh Quảng Ninh', dueSoonDays: 5 }, reason: 'Văn phòng đề nghị' },
          metadata: operator,
        })
        .then([
          {
            type: 'CitySettingsChanged',
            data: {
              cityId: 'quang-ninh',
              changes: { dueSoonDays: 5 },
              settings: { ...settings, dueSoonDays: 5 },
              status: 'active',
              reason: 'Văn phòng đề nghị',
              changedAt: now.toISOString(),
            },
            metadata: audit,
          },
        ]));

    it('changes nothing when nothing differs', () =>
      spec([created])
        .when({ type: 'ChangeCitySettings', data: { cityId: 'quang-ninh', changes: { level: 'province' }, reason: 'x' }, metadata: operator })
        .thenNothingHappened());

    it('refuses a city that does not exist', () =>
      spec([])
        .when({ type: 'ChangeCitySettings', data: { cityId: 'quang-ninh', changes: { dueSoonDays: 5 }, reason: 'x' }, metadata: operator })
        .thenThrows(NotFoundError, 'city-not-found'));

    it('wants a reason', () =>
      spec([created])
        .when({ type: 'ChangeCitySettings', data: { cityId: 'quang-ninh', changes: { dueSoonDays: 5 }, reason: '' }, metadata: operator })
        .thenThrows(ValidationError, 'reason-required'));
  });

  describe('SuspendCity and ResumeCity', () => {
    it('suspends an active city, with the reason', () =>
      spec([created])
        .when({ type: 'SuspendCity', data: { cityId: 'quang-ninh', reason: 'Hợp đồng tạm dừng' }, metadata: operator })
        .then([suspended]));

    it('resumes a suspended city', () =>
      spec([created, suspended])
        .when({ type: 'ResumeCity', data: { cityId: 'quang-ninh', reason: 'Gia hạn hợp đồng' }, metadata: operator })
        .then([{ type: 'CityResumed', data: { cityId: 'quang-ninh', settings, reason: 'Gia hạn hợp đồng', resumedAt: now.toISOString() }, metadata: audit }]));

    it('refuses to suspend twice or to resume an active city', () => {
      spec([created, suspended])
        .when({ type: 'SuspendCity', data: { cityId: 'quang-ninh', reason: 'x' }, metadata: operator })
        .thenThrows(IllegalStateError, 'city-suspended');
      spec([created])
        .when({ type: 'ResumeCity', data: { cityId: 'quang-ninh', reason: 'x' }, metadata: operator })
        .thenThrows(IllegalStateError, 'city-not-suspended');
    });

    it('still lets the operator change a suspended city’s settings', () =>
      spec([created, suspended])
        .when({ type: 'ChangeCitySettings', data: { cityId: 'quang-ninh', changes: { timeZone: 'Asia/Bangkok' }, reason: 'x' }, metadata: operator })
        .then([
          {
            type: 'CitySettingsChanged',
            data: {
              cityId: 'quang-ninh',
              changes: { timeZone: 'Asia/Bangkok' },
              settings: { ...settings, timeZone: 'Asia/Bangkok' },
              status: 'suspended',
              reason: 'x',
              changedAt: now.toISOString(),
            },
            metadata: audit,
          },
        ]));
  });

  describe('MergeCity (Hải Dương into Hải Phòng, 1 July 2025)', () => {
    const merge = (into: string, reason = 'Nghị quyết 202/2025/QH15') => ({
      type: 'MergeCity' as const,
      data: { cityId: 'quang-ninh', into, reason },
      metadata: operator,
    });
    const merged: CityEvent = {
      type: 'CityMerged',
      data: { cityId: 'quang-ninh', into: 'hai-phong', settings, reason: 'Nghị quyết 202/2025/QH15', mergedAt: now.toISOString() },
      metadata: audit,
    };

    it('records the successor with the reason; a suspended city merges too', () => {
      spec([created]).when(merge('hai-phong')).then([merged]);
      spec([created, suspended]).when(merge('hai-phong')).then([merged]);
    });

    it('is final: a merged city takes no change, suspension, resumption or second merger', () => {
      for (const command of [
        merge('ha-noi'),
        { type: 'SuspendCity' as const, data: { cityId: 'quang-ninh', reason: 'x' }, metadata: operator },
        { type: 'ResumeCity' as const, data: { cityId: 'quang-ninh', reason: 'x' }, metadata: operator },
        { type: 'ChangeCitySettings' as const, data: { cityId: 'quang-ninh', changes: { dueSoonDays: 4 }, reason: 'x' }, metadata: operator },
      ]) {
        spec([created, merged]).when(command).thenThrows(IllegalStateError, 'city-merged');
      }
    });

    it('wants another city, a reason, the operator, and a city that exists', () => {
      for (const into of ['quang-ninh', 'platform', 'Hai Phong', '']) spec([created]).when(merge(into)).thenThrows(ValidationError, 'invalid-successor');
      spec([created]).when(merge('hai-phong', ' ')).thenThrows(ValidationError, 'reason-required');
      spec([created])
        .when({ ...merge('hai-phong'), metadata: { ...operator, role: 'office' } })
        .thenThrows(ForbiddenError);
      spec([]).when(merge('hai-phong')).thenThrows(NotFoundError, 'city-not-found');
    });
  });
});
