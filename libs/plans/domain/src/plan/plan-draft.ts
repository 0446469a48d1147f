import type { AgencyRef } from '../agency';
import type { DeadlineSpec } from '../deadline-spec';

export type PlanKind = 'plan' | 'directive';

/** A task as the issuing document states it, before the platform gives it an id. */
export type TaskDraft = {
  /** Its number in the document, made unique within the plan: "PL2.I.3", "III.2.a.1". */
  readonly ref: string;
  readonly title: string;
  /** The heading it sits under ("I. Cơ chế, chính sách tổng hợp"), if any. */
  readonly group: string | null;
  readonly lead: AgencyRef | null;
  readonly coordinators: readonly AgencyRef[];
  /** Sản phẩm: "Báo cáo Thủ tướng Chính phủ", "Quyết định …". */
  readonly deliverable: string | null;
  readonly deadline: DeadlineSpec;
  /** Lãnh đạo UBND phụ trách, as written ("PCT Dương Đức Tuấn"). */
  readonly supervisor: string | null;
  readonly note: string | null;
};

/** A target of an indicator for a horizon, as written ("7,5-8,0", "trên 60%") and as far as it reads as numbers. */
export type IndicatorTarget = {
  readonly horizon: number | null;
  readonly text: string;
  readonly value?: number;
  readonly min?: number;
  readonly max?: number;
};

/** An indicator (chỉ tiêu) of the plan: what is measured, in which unit, the targets, who leads it. */
export type IndicatorDraft = {
  /** Its number in the document: "1", "(3)", "PL1.2.a" */
  readonly ref: string;
  readonly group: string | null;
  readonly name: string;
  readonly unit: string | null;
  readonly targets: readonly IndicatorTarget[];
  readonly lead: { readonly agencyId: string | null; readonly name: string } | null;
};

/** A plan or directive as issued. */
export type PlanDraft = {
  /** Số hiệu as printed: "183/KH-UBND"; null for a copy before signing ("Số:      /KH-UBND") the office tracks as it is. */
  readonly number: string | null;
  readonly kind: PlanKind;
  readonly title: string;
  /** ISO date; null when the document does not state it (before signing). */
  readonly issuedOn: string | null;
  readonly effectiveOn: string | null;
  /** Cơ quan ban hành: "UBND thành phố Hà Nội", "UBND huyện Bạch Long Vĩ". */
  readonly issuer: string;
  readonly signer: string | null;
  readonly fields: readonly string[];
  /** The documents it implements (căn cứ): "Nghị quyết số 50/NQ-CP ngày 20/5/2021". */
  readonly implements: readonly string[];
  readonly source: {
    /** File name or URL the plan was read from. */
    readonly document: string;
    /** The source text was cut off ("[...]"): what follows the cut is unknown, not empty. */
    readonly truncated: boolean;
    /** What the importer could not read cleanly, in words a person can act on. */
    readonly warnings: readonly string[];
  };
  readonly tasks: readonly TaskDraft[];
  /** Its indicators (chỉ tiêu); none when the document sets none */
  readonly indicators?: readonly IndicatorDraft[];
};
