/** What the user told us about columns (from flags and config, already merged). */
export interface ColumnRoles {
  target?: string;
  /** One label/value column, or several probability columns (one per class). */
  prediction?: string[];
  task?: 'classification' | 'regression';
  numerical?: string[];
  categorical?: string[];
  datetime?: string[];
  id?: string[];
  ignore?: string[];
}
