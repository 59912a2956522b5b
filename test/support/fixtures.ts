/** A minimal valid create request of the reference: one chart template rendered to PDF, e-mailed. */
export function chartTaskRequest(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'Weekly sales',
    type: 'chart-sharing',
    templates: [
      {
        type: 'chart',
        subType: 'pdf',
        fileName: 'sales',
        chartData: {
          appId: 'app-sales',
          sheetId: 'sheet-1',
          objectId: 'object-1',
          widthPx: 800,
          heightPx: 600,
          language: 'en',
          objectDef: {
            title: 'Sales by region',
            chartKind: 'bar',
            columns: ['Region', 'Sales'],
            rows: [
              ['North', 120],
              ['South', 80],
            ],
          },
        },
      },
    ],
    recipients: { emailAddresses: ['alice@example.com'] },
    transportChannels: ['email'],
    emailContent: { subject: 'Your weekly sales', body: 'Attached: this week.' },
    scheduleOptions: { timezone: 'Europe/Paris', recurrence: ['RRULE:FREQ=DAILY;BYHOUR=9;BYMINUTE=0;BYSECOND=0'] },
    ...overrides,
  };
}
