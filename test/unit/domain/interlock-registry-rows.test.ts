import { describe, expect, it } from 'vitest';
import { readRegistryCsv } from '../../../server/registry/registry-csv';
import {
  checkDevices,
  checkOperators,
  checkSubjects,
} from '../../../server/registry/registry-rows';

const NOW = Date.UTC(2026, 0, 15, 3, 0);
const known = { subjects: new Set(['U-1']), operators: new Set(['OP-1']) };

describe('registry rows: one check for table reads and CSV imports', () => {
  it('takes the seed’s Korean status words and refuses others per column', () => {
    const { accepted, problems, refusedRows } = checkOperators([
      { line: 2, values: { operator_id: 'OP-1', company_name: '부산인터락', status: '활성' } },
      { line: 3, values: { operator_id: 'OP-2', company_name: '영도카테크', status: '폐업' } },
    ]);
    expect(accepted).toEqual([
      {
        operatorId: 'OP-1',
        companyName: '부산인터락',
        status: 'active',
        approvedMs: null,
        contact: null,
      },
    ]);
    expect(refusedRows).toBe(1);
    expect(problems).toEqual([
      { line: 3, column: 'status', reason: 'status "폐업" is not 대기, 승인 or 활성' },
    ]);
  });

  it('refuses a calendar date that is none, and an obligation that ends before it starts', () => {
    const { problems } = checkSubjects([
      {
        line: 2,
        values: {
          user_id: 'U-9',
          name: '김하나',
          obligation_start: '2025-02-30',
          obligation_end: '2026-01-01',
        },
      },
      {
        line: 3,
        values: {
          user_id: 'U-8',
          name: '김두리',
          obligation_start: '2026-01-01',
          obligation_end: '2025-01-01',
        },
      },
    ]);
    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [2, 'obligation_start'],
      [3, 'obligation_end'],
    ]);
  });

  it('a device must name a known subject and installer, a Korean plate, and sane dates', () => {
    const { accepted, problems } = checkDevices(
      [
        {
          line: 2,
          values: {
            device_id: 'D-1',
            serial_number: 'S1',
            model: 'M',
            install_date: '2025-01-01',
            last_inspection: '2025-07-01 10:00',
            user_id: 'U-1',
            operator_id: 'OP-1',
            car_plate_number: '12가 3456',
          },
        },
        {
          line: 3,
          values: {
            device_id: 'D-2',
            serial_number: 'S2',
            model: 'M',
            install_date: '2026-03-01',
            last_inspection: '2025-01-01',
            user_id: 'U-404',
            car_plate_number: 'ABC',
          },
        },
      ],
      known,
      NOW,
    );
    expect(accepted.map((d) => d.deviceId)).toEqual(['D-1']);
    expect(accepted[0]!.lastCalibrationMs).toBe(Date.UTC(2025, 6, 1, 1, 0));
    expect(problems.map((p) => p.column).sort()).toEqual([
      'car_plate_number',
      'install_date',
      'last_inspection',
      'user_id',
    ]);
  });
});

describe('registry CSV', () => {
  it('reads quoted fields and a byte-order mark; a short row is refused with its line', () => {
    const read = readRegistryCsv(
      '\ufeffoperator_id,company_name,status,note\nOP-1,"부산, 인터락",활성,x\nOP-2,해운대\n',
      'operators',
    );
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.rows).toEqual([
      { line: 2, values: { operator_id: 'OP-1', company_name: '부산, 인터락', status: '활성' } },
    ]);
    expect(read.ignoredColumns).toEqual(['note']);
    expect(read.problems).toEqual([
      { line: 3, column: null, reason: 'the row has 2 fields; the header has 4' },
    ]);
  });

  it('refuses the whole file without a required column', () => {
    expect(readRegistryCsv('device_id,model\nD-1,M', 'devices')).toEqual({
      ok: false,
      reason: expect.stringContaining('serial_number, install_date'),
    });
  });
});
