/**
 * The canonical tables and columns (DATA.md), with the header synonyms seen in real exports.
 *
 * This is the one place that says what a column means and how its values are read; the loader, the
 * model and `inspect` all follow it. Synonyms are matched after folding (case, accents, punctuation):
 * "Mã gói thầu", "MA GOI THAU" and "ma_goi_thau" are the same header.
 */
import type { CodebookName } from '../normalize/codes.js';

export type TableKind = 'bids' | 'tenders' | 'companies' | 'invoices';
export const TABLE_KINDS: readonly TableKind[] = ['bids', 'tenders', 'companies', 'invoices'];

/**
 * How a column's values are read:
 * - `key`: an identifier kept exactly as written (tender ids, invoice numbers);
 * - `party`: a firm or buyer id, shared by every table so they join; tax codes are normalised when the
 *   column is mostly tax codes;
 * - `text`: free text, dictionary-encoded;
 * - `amount`, `date`, `bool`, `int`: typed values;
 * - a codebook name: a coded value (canonical when known, else kept as written).
 */
export type ValueType = 'key' | 'party' | 'text' | 'amount' | 'date' | 'bool' | 'int' | { code: CodebookName };

export interface ColumnSpec {
  name: string;
  type: ValueType;
  required?: boolean;
  synonyms: string[];
  /** the column identifies the row: a row without it is rejected */
  rowKey?: boolean;
  /**
   * ids of the form prefix + digits are kept as numbers and their strings made when read
   * (util/digit-dict.ts): for columns with a value per row that are read only to name a row in evidence
   */
  onDemand?: boolean;
  /**
   * The column numbers rows within a group (line_no: the lines of an invoice), and these synonyms name a
   * row ordinal of the whole export just as often ("STT", số thứ tự): a column matched through one of them
   * is kept only when its values start at 1 in most groups of `within` (`groups` names them in messages;
   * load.ts), else it is left unmapped.
   */
  ordinal?: { synonyms: string[]; within: string; groups: string };
  description?: string;
}

const c = (name: string, type: ValueType, synonyms: string[], extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  name,
  type,
  synonyms,
  ...extra,
});

const IDENTITY = (prefix: string): ColumnSpec[] => [
  c(`${prefix}address`, 'text', ['Địa chỉ', 'dia chi nha thau', 'address', 'contractor_address']),
  c(`${prefix}phone`, 'text', ['Điện thoại', 'Số điện thoại', 'phone', 'tel', 'telephone']),
  c(`${prefix}email`, 'text', ['Email', 'e-mail', 'Thư điện tử']),
  c(`${prefix}representative`, 'text', ['Người đại diện', 'representative', 'legal_rep']),
  c(`${prefix}ip`, 'text', ['ip', 'ip_address', 'Địa chỉ IP']),
];

const TENDER_COLUMNS: ColumnSpec[] = [
  c('tender_id', 'key', ['package_id', 'ocid', 'notify_no', 'Mã gói thầu', 'Số TBMT', 'Mã TBMT', 'tender', 'tender_no', 'notice_id'], {
    required: true,
    rowKey: true,
  }),
  c('lot_id', 'key', ['lot', 'lot_no', 'Lô', 'Phần', 'Mã phần', 'Mã lô']),
  c('buyer_id', 'party', ['procuring_entity_id', 'investor_id', 'Mã bên mời thầu', 'Mã chủ đầu tư', 'MST bên mời thầu', 'buyer']),
  c('buyer_name', 'text', ['procuring_entity', 'investor_name', 'Bên mời thầu', 'Chủ đầu tư', 'Tên bên mời thầu', 'Tên chủ đầu tư']),
  c('title', 'text', ['tender_title', 'Tên gói thầu', 'package_name']),
  c('category', { code: 'category' }, ['field', 'bid_field', 'Lĩnh vực', 'Loại gói thầu', 'main_procurement_category']),
  c('procedure', { code: 'procedure' }, ['method', 'bid_form', 'Hình thức lựa chọn nhà thầu', 'Hình thức LCNT', 'procurement_method', 'procurement_method_details']),
  c('estimated_value', 'amount', ['package_price', 'reserve_price', 'pte', 'Giá gói thầu', 'Dự toán', 'estimate', 'budget']),
  c('currency', 'text', ['Đơn vị tiền tệ', 'Loại tiền', 'Tiền tệ']),
  c('published_date', 'date', ['Ngày đăng tải', 'publication_date', 'Ngày đăng tải TBMT']),
  c('deadline_date', 'date', ['bid_deadline', 'Thời điểm đóng thầu', 'closing_date', 'submission_deadline']),
  c('opening_date', 'date', ['Ngày mở thầu', 'Thời điểm mở thầu']),
  c('award_date', 'date', ['Ngày phê duyệt KQLCNT', 'award_decision_date', 'Ngày phê duyệt']),
  c('contract_date', 'date', ['Ngày ký hợp đồng', 'contract_signed_date']),
  c('province', 'text', ['Tỉnh/Thành phố', 'Tỉnh', 'Địa điểm', 'region']),
];

const BID_ONLY_COLUMNS: ColumnSpec[] = [
  c('bidder_id', 'party', ['contractor_id', 'tenderer_id', 'Mã số thuế', 'MST nhà thầu', 'Mã nhà thầu', 'MST', 'supplier_id', 'bidder'], {
    required: true,
  }),
  c('bidder_name', 'text', ['contractor_name', 'tenderer', 'Tên nhà thầu', 'supplier_name']),
  c('bid_amount', 'amount', ['bid_price', 'Giá dự thầu', 'price', 'bid_value', 'offer'], { required: true }),
  c('final_amount', 'amount', ['bid_final_price', 'Giá dự thầu sau giảm giá', 'Giá sau giảm giá', 'evaluated_price']),
  c('bid_status', { code: 'bid_status' }, ['status', 'technical_result', 'Kết quả đánh giá', 'Trạng thái']),
  c('is_winner', 'bool', ['winner', 'award', 'Trúng thầu', 'won', 'is_awarded']),
  c('award_amount', 'amount', ['winning_price', 'Giá trúng thầu', 'contract_value', 'awarded_value']),
  c('bid_time', 'date', ['submission_time', 'Thời điểm nộp', 'Thời gian nộp hồ sơ']),
  ...IDENTITY('bidder_'),
];

export const SCHEMA: Record<TableKind, ColumnSpec[]> = {
  bids: [...TENDER_COLUMNS.map((col) => (col.name === 'buyer_id' ? { ...col, required: true } : col)), ...BID_ONLY_COLUMNS],
  tenders: [
    ...TENDER_COLUMNS,
    c('winner_id', 'party', ['supplier_id', 'contractor_id', 'MST nhà thầu trúng thầu', 'Nhà thầu trúng thầu', 'awarded_supplier_id']),
    c('winner_name', 'text', ['supplier_name', 'Tên nhà thầu trúng thầu', 'contractor_name']),
    c('award_amount', 'amount', ['winning_price', 'Giá trúng thầu', 'contract_value', 'awarded_value']),
    c('number_of_bidders', 'int', ['bidders', 'n_bidders', 'number_of_tenderers', 'Số nhà thầu tham dự', 'Số lượng nhà thầu']),
  ],
  companies: [
    c('company_id', 'party', ['tax_id', 'mst', 'Mã số thuế', 'Mã số doanh nghiệp', 'id', 'tax_code'], { required: true, rowKey: true }),
    c('name', 'text', ['company_name', 'Tên doanh nghiệp', 'Tên công ty', 'Tên']),
    c('address', 'text', ['Địa chỉ trụ sở', 'Địa chỉ', 'head_office']),
    c('phone', 'text', ['Điện thoại', 'Số điện thoại', 'tel', 'telephone']),
    c('email', 'text', ['Email', 'e-mail', 'Thư điện tử']),
    c('website', 'text', ['Trang web', 'web']),
    c('bank_account', 'text', ['Số tài khoản', 'Tài khoản ngân hàng', 'account']),
    c('representative', 'text', ['legal_rep', 'director', 'Người đại diện theo pháp luật', 'Người đại diện', 'Giám đốc']),
    c('owners', 'text', ['shareholders', 'Thành viên góp vốn', 'Cổ đông', 'members']),
    c('registration_date', 'date', ['founded', 'Ngày cấp', 'Ngày thành lập', 'Ngày đăng ký', 'incorporation_date']),
    c('closure_date', 'date', ['Ngày giải thể', 'Ngày đóng cửa', 'dissolution_date']),
    c('status', { code: 'company_status' }, ['Trạng thái', 'Tình trạng hoạt động']),
    c('province', 'text', ['Tỉnh/Thành phố', 'Tỉnh']),
  ],
  invoices: [
    c('invoice_id', 'key', ['Mã hóa đơn', 'Mã tra cứu', 'chave de acesso', 'invoice_key'], { onDemand: true }),
    c('template', 'key', ['KHMSHDon', 'Mẫu số', 'Ký hiệu mẫu số', 'modelo', 'form']),
    c('series', 'key', ['KHHDon', 'Ký hiệu', 'Ký hiệu hóa đơn', 'serie', 'série']),
    c('number', 'key', ['invoice_no', 'invoice_number', 'SHDon', 'Số hóa đơn', 'numero', 'número', 'trans_no', 'transaction_number', 'document_no'], {
      required: true,
      rowKey: true,
    }),
    c('issue_date', 'date', ['date', 'Ngày lập', 'Ngày hóa đơn', 'NLap', 'invoice_date', 'paid_date', 'payment_date', 'data emissao', 'data_emissão'], {
      required: true,
    }),
    c('seller_id', 'party', ['seller_tax_id', 'nbmst', 'MST người bán', 'Mã số thuế người bán', 'supplier_id', 'cpf_cnpj_emitente', 'cnpj_emitente', 'vendor_id'], {
      required: true,
      rowKey: true,
    }),
    c('seller_name', 'text', ['Tên người bán', 'supplier_name', 'vendor_name', 'razao_social_emitente', 'nome_emitente']),
    c('buyer_id', 'party', ['buyer_tax_id', 'nmmst', 'MST người mua', 'Mã số thuế người mua', 'cnpj_destinatario', 'cpf_cnpj_destinatario', 'customer_id']),
    c('buyer_name', 'text', ['Tên người mua', 'nome_destinatario', 'customer_name', 'body_name', 'organisation', 'client']),
    c('amount', 'amount', ['net_amount', 'tgtcthue', 'Tổng tiền chưa thuế', 'Thành tiền', 'Số tiền', 'valor_total', 'valor nota fiscal', 'valor'], {
      required: true,
    }),
    c('vat_rate', { code: 'vat_rate' }, ['Thuế suất', 'tax_rate', 'TSuat']),
    c('vat_amount', 'amount', ['tgtthue', 'Tiền thuế GTGT', 'Tiền thuế', 'tax_amount', 'vat']),
    c('total_amount', 'amount', ['tgtttbso', 'Tổng tiền thanh toán', 'gross_amount', 'total']),
    c('currency', 'text', ['Đơn vị tiền tệ', 'Loại tiền', 'DVTTe']),
    c('status', { code: 'invoice_status' }, ['tthai', 'Trạng thái hóa đơn', 'Trạng thái', 'evento mais recente']),
    c('related_invoice', 'key', ['Hóa đơn liên quan', 'Hóa đơn bị thay thế', 'original_invoice', 'replaces']),
    c('contract_ref', 'key', ['Số hợp đồng', 'contract_no', 'contract_id', 'tender_id', 'Mã gói thầu']),
    c('description', 'text', ['Tên hàng hóa dịch vụ', 'Tên hàng hóa, dịch vụ', 'item', 'descricao do produto servico']),
    c('line_no', 'int', ['STT', 'Số thứ tự', 'line', 'numero produto', 'número produto'], {
      ordinal: { synonyms: ['STT', 'Số thứ tự'], within: 'number', groups: 'invoice numbers' },
    }),
    c('item_code', 'text', ['Mã hàng', 'codigo ncm sh', 'expenditure_code']),
    c('quantity', 'amount', ['Số lượng', 'quantidade', 'qty']),
    c('unit_price', 'amount', ['Đơn giá', 'valor unitario', 'valor unitário']),
  ],
};

/**
 * Required columns of a table kind: each entry is a list of alternatives, one of which must be present
 * (a bids export may carry only final prices; an invoice export only totals).
 */
export function requiredColumns(kind: TableKind): string[][] {
  const alternatives: Record<string, string[]> = { bid_amount: ['bid_amount', 'final_amount'], amount: ['amount', 'total_amount'] };
  return SCHEMA[kind].filter((col) => col.required).map((col) => alternatives[col.name] ?? [col.name]);
}

/** Row-key columns: a row with none of its own key is rejected (DATA.md). */
export function rowKeyColumns(kind: TableKind): string[] {
  return SCHEMA[kind].filter((col) => col.rowKey).map((col) => col.name);
}
