/**
 * Lines of business: which tender category a firm bids in, the VAT rate of what it sells,
 * whether that rate drops to 8% in the reduced-rate periods, words for its name, and the goods
 * or services on its invoices.
 */

export const CATEGORIES = ['goods', 'works', 'consulting', 'non-consulting', 'mixed'] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_VN: Record<Category, string> = {
  goods: 'Hàng hóa',
  works: 'Xây lắp',
  consulting: 'Tư vấn',
  'non-consulting': 'Phi tư vấn',
  mixed: 'Hỗn hợp',
};

export const PROCEDURES = ['open', 'restricted', 'competitive-shopping', 'designated', 'direct'] as const;
export type Procedure = (typeof PROCEDURES)[number];
export const PROCEDURE_VN: Record<Procedure, string> = {
  open: 'Đấu thầu rộng rãi',
  restricted: 'Đấu thầu hạn chế',
  'competitive-shopping': 'Chào hàng cạnh tranh',
  designated: 'Chỉ định thầu',
  direct: 'Mua sắm trực tiếp',
};
export function isCompetitive(p: Procedure): boolean {
  return p === 'open' || p === 'restricted' || p === 'competitive-shopping';
}

export type VatRate = 10 | 5 | 0 | 'KCT';

export interface Sector {
  key: string;
  /** Tender category the firm bids in, or null for firms that only trade. */
  category: Category | null;
  vat: VatRate;
  /** The 10% rate drops to 8% inside the reduced-rate periods. */
  reduced8: boolean;
  industry: string[];
  items: string[];
  /** ln of the median invoice amount (VND). */
  invMu: number;
  /** Supply-chain tier: firms sell mostly to higher tiers, which keeps honest trade acyclic. */
  tier: number;
}

export const SECTORS: Sector[] = [
  { key: 'medical', category: 'goods', vat: 5, reduced8: false, tier: 2, invMu: 17.6,
    industry: ['Thiết bị Y tế', 'Dược phẩm', 'Trang thiết bị Y tế', 'Vật tư Y tế', 'Dược - Thiết bị Y tế'],
    items: ['thuốc tân dược', 'vật tư y tế tiêu hao', 'hóa chất xét nghiệm', 'máy siêu âm', 'máy thở', 'thiết bị phòng mổ', 'găng tay y tế', 'bơm kim tiêm', 'sinh phẩm chẩn đoán', 'máy X-quang kỹ thuật số', 'monitor theo dõi bệnh nhân'] },
  { key: 'it', category: 'goods', vat: 10, reduced8: false, tier: 2, invMu: 17.3,
    industry: ['Công nghệ', 'Tin học', 'Giải pháp Công nghệ', 'Công nghệ Thông tin', 'Viễn thông Tin học'],
    items: ['máy tính để bàn', 'máy tính xách tay', 'máy chủ', 'thiết bị mạng', 'máy in', 'phần mềm quản lý', 'máy chiếu', 'thiết bị lưu trữ', 'camera giám sát'] },
  { key: 'office', category: 'goods', vat: 10, reduced8: true, tier: 3, invMu: 16.0,
    industry: ['Thương mại', 'Thương mại và Dịch vụ', 'Văn phòng phẩm', 'Thương mại Tổng hợp', 'Nội thất'],
    items: ['văn phòng phẩm', 'bàn ghế làm việc', 'tủ tài liệu', 'giấy in A4', 'mực in', 'điều hòa nhiệt độ', 'đồ dùng văn phòng'] },
  { key: 'education', category: 'goods', vat: 5, reduced8: false, tier: 2, invMu: 17.0,
    industry: ['Thiết bị Giáo dục', 'Sách và Thiết bị Trường học', 'Thiết bị Trường học'],
    items: ['thiết bị dạy học tối thiểu', 'bàn ghế học sinh', 'thiết bị phòng thí nghiệm', 'bảng tương tác', 'thiết bị phòng học ngoại ngữ', 'đồ chơi mầm non'] },
  { key: 'materials', category: 'goods', vat: 10, reduced8: true, tier: 1, invMu: 18.0,
    industry: ['Vật liệu Xây dựng', 'Vật tư', 'Vật tư Thiết bị', 'Thương mại Vật liệu Xây dựng'],
    items: ['xi măng PCB40', 'thép xây dựng', 'cát vàng', 'đá dăm 1x2', 'gạch tuynel', 'ống nhựa HDPE', 'dây cáp điện', 'nhựa đường'] },
  { key: 'electrical', category: 'goods', vat: 10, reduced8: true, tier: 2, invMu: 17.5,
    industry: ['Thiết bị Điện', 'Điện Cơ', 'Cơ Điện', 'Điện lạnh', 'Cơ điện lạnh'],
    items: ['máy biến áp', 'tủ điện', 'đèn LED chiếu sáng', 'máy phát điện', 'thiết bị chiếu sáng công cộng', 'điều hòa trung tâm'] },
  { key: 'food', category: 'goods', vat: 5, reduced8: false, tier: 2, invMu: 15.8,
    industry: ['Thực phẩm', 'Lương thực Thực phẩm', 'Chế biến Thực phẩm'],
    items: ['gạo', 'thực phẩm tươi sống', 'suất ăn', 'rau củ quả', 'sữa tươi'] },
  { key: 'construction', category: 'works', vat: 10, reduced8: true, tier: 3, invMu: 19.2,
    industry: ['Xây dựng', 'Đầu tư Xây dựng', 'Xây lắp', 'Xây dựng và Thương mại', 'Kỹ thuật Hạ tầng', 'Công trình Giao thông', 'Xây dựng Thủy lợi', 'Xây dựng Công trình', 'Xây dựng Dân dụng và Công nghiệp'],
    items: ['khối lượng xây lắp hoàn thành', 'thi công xây lắp', 'sửa chữa công trình', 'thuê máy thi công', 'nhân công xây dựng'] },
  { key: 'consulting', category: 'consulting', vat: 10, reduced8: true, tier: 3, invMu: 17.6,
    industry: ['Tư vấn Thiết kế', 'Tư vấn Đầu tư và Xây dựng', 'Tư vấn Xây dựng', 'Tư vấn Giám sát', 'Kiểm định Xây dựng', 'Tư vấn Kỹ thuật', 'Tư vấn và Quản lý Dự án'],
    items: ['dịch vụ tư vấn thiết kế', 'tư vấn giám sát thi công', 'lập hồ sơ mời thầu', 'thẩm tra thiết kế', 'khảo sát địa chất'] },
  { key: 'services', category: 'non-consulting', vat: 10, reduced8: true, tier: 3, invMu: 16.5,
    industry: ['Dịch vụ Bảo vệ', 'Vệ sinh Môi trường', 'Dịch vụ Vệ sinh Công nghiệp', 'Dịch vụ Tổng hợp', 'Môi trường Đô thị'],
    items: ['dịch vụ bảo vệ', 'dịch vụ vệ sinh', 'chăm sóc cây xanh', 'thu gom rác thải'] },
  { key: 'transport', category: 'non-consulting', vat: 10, reduced8: true, tier: 2, invMu: 16.3,
    industry: ['Vận tải', 'Dịch vụ Vận tải', 'Logistics', 'Vận tải và Du lịch'],
    items: ['cước vận chuyển', 'thuê xe ô tô', 'vận chuyển hàng hóa', 'dịch vụ lữ hành'] },
  { key: 'printing', category: 'non-consulting', vat: 10, reduced8: true, tier: 2, invMu: 16.2,
    industry: ['In', 'In ấn và Quảng cáo', 'Truyền thông', 'Quảng cáo và Sự kiện'],
    items: ['in ấn tài liệu', 'in ấn phẩm tuyên truyền', 'biển quảng cáo', 'tổ chức sự kiện'] },
  { key: 'wholesale', category: null, vat: 10, reduced8: true, tier: 1, invMu: 17.4,
    industry: ['Thương mại', 'Xuất nhập khẩu', 'Thương mại Dịch vụ', 'Sản xuất và Thương mại', 'Phân phối'],
    items: ['hàng hóa', 'nguyên vật liệu', 'bao bì', 'hàng tiêu dùng', 'linh kiện điện tử'] },
  { key: 'manufacturing', category: null, vat: 10, reduced8: true, tier: 0, invMu: 18.0,
    industry: ['Sản xuất', 'Cơ khí', 'Nhựa', 'Bao bì', 'Dệt may', 'Chế biến Gỗ'],
    items: ['sản phẩm cơ khí', 'bao bì carton', 'sản phẩm nhựa', 'vải', 'đồ gỗ nội thất', 'thép hình'] },
  { key: 'fuel', category: null, vat: 10, reduced8: false, tier: 0, invMu: 16.5,
    industry: ['Xăng dầu', 'Năng lượng', 'Thương mại Xăng dầu'],
    items: ['xăng RON95-III', 'dầu diesel 0,05S', 'dầu nhớt'] },
  { key: 'agri', category: null, vat: 'KCT', reduced8: false, tier: 0, invMu: 17.2,
    industry: ['Nông nghiệp', 'Nông sản', 'Giống cây trồng'],
    items: ['cà phê nhân', 'lúa gạo', 'hồ tiêu', 'hạt điều thô'] },
  { key: 'telecom', category: null, vat: 10, reduced8: false, tier: 4, invMu: 14.5,
    industry: ['Viễn thông', 'Dịch vụ Internet', 'Phần mềm', 'Giải pháp Phần mềm'],
    items: ['cước dịch vụ internet', 'phí thuê bao phần mềm kế toán', 'phí duy trì hóa đơn điện tử', 'cước điện thoại cố định'] },
  { key: 'realestate', category: null, vat: 10, reduced8: false, tier: 4, invMu: 17.0,
    industry: ['Đầu tư Bất động sản', 'Quản lý Tòa nhà', 'Phát triển Nhà', 'Đầu tư và Kinh doanh Bất động sản'],
    items: ['tiền thuê văn phòng', 'phí dịch vụ tòa nhà'] },
];

export const SECTOR_INDEX = new Map(SECTORS.map((s, i) => [s.key, i]));
export function sectorIdx(key: string): number {
  const i = SECTOR_INDEX.get(key);
  if (i === undefined) throw new Error(`unknown sector ${key}`);
  return i;
}

/** Sectors whose firms bid in tenders of each category. */
export const BIDDING_SECTORS: Record<Category, number[]> = {
  goods: ['medical', 'it', 'office', 'education', 'materials', 'electrical', 'food'].map(sectorIdx),
  works: [sectorIdx('construction')],
  consulting: [sectorIdx('consulting')],
  'non-consulting': ['services', 'transport', 'printing'].map(sectorIdx),
  mixed: [sectorIdx('construction')],
};

/** Share of bidding firms per sector. */
export const BIDDER_SECTOR_WEIGHTS: [number, number][] = [
  [sectorIdx('medical'), 10], [sectorIdx('it'), 8], [sectorIdx('office'), 7], [sectorIdx('education'), 5],
  [sectorIdx('materials'), 4], [sectorIdx('electrical'), 5], [sectorIdx('food'), 3],
  [sectorIdx('construction'), 30], [sectorIdx('consulting'), 12],
  [sectorIdx('services'), 6], [sectorIdx('transport'), 5], [sectorIdx('printing'), 4],
];

export const TRADE_SECTOR_WEIGHTS: [number, number][] = [
  [sectorIdx('wholesale'), 30], [sectorIdx('manufacturing'), 20], [sectorIdx('fuel'), 3], [sectorIdx('agri'), 5],
  [sectorIdx('office'), 6], [sectorIdx('materials'), 8], [sectorIdx('construction'), 10], [sectorIdx('transport'), 8],
  [sectorIdx('food'), 5], [sectorIdx('it'), 5],
];
