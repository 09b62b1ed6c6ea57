/**
 * Static Vietnamese reference data for the generator: the 63 provinces (before the 2025 merger)
 * with a few real districts each, personal names with realistic frequencies, words for company
 * names, streets, wards, goods and services.
 */

export type Region = 'N' | 'C' | 'S';

export interface Province {
  /** As written in a province column. */
  name: string;
  /** As written after "Sở Y tế …" or at the end of an address. */
  label: string;
  /** Abbreviated form used in hand-typed addresses. */
  short: string;
  region: Region;
  /** First two digits of tax codes issued there. */
  tax: string;
  weight: number;
  /** Districts; the first is the provincial capital. */
  districts: string[];
  city: boolean;
}

type P = [string, Region, string, number, string[], string?];

const RAW: P[] = [
  ['Hà Nội', 'N', '01', 14, ['Quận Ba Đình', 'Quận Hoàn Kiếm', 'Quận Đống Đa', 'Quận Cầu Giấy', 'Quận Hai Bà Trưng', 'Quận Thanh Xuân', 'Quận Hoàng Mai', 'Quận Long Biên', 'Quận Hà Đông', 'Quận Nam Từ Liêm', 'Quận Bắc Từ Liêm', 'Huyện Đông Anh', 'Huyện Gia Lâm', 'Huyện Sóc Sơn', 'Huyện Thanh Trì'], 'HN'],
  ['TP. Hồ Chí Minh', 'S', '03', 16, ['Quận 1', 'Quận 3', 'Quận 5', 'Quận 7', 'Quận 10', 'Quận 12', 'Quận Bình Thạnh', 'Quận Tân Bình', 'Quận Tân Phú', 'Quận Gò Vấp', 'Quận Phú Nhuận', 'TP. Thủ Đức', 'Huyện Bình Chánh', 'Huyện Củ Chi', 'Huyện Hóc Môn'], 'TP.HCM'],
  ['Hải Phòng', 'N', '02', 4, ['Quận Hồng Bàng', 'Quận Lê Chân', 'Quận Ngô Quyền', 'Quận Hải An', 'Huyện Thủy Nguyên', 'Huyện An Dương'], 'HP'],
  ['Đà Nẵng', 'C', '04', 3, ['Quận Hải Châu', 'Quận Thanh Khê', 'Quận Sơn Trà', 'Quận Ngũ Hành Sơn', 'Quận Liên Chiểu', 'Huyện Hòa Vang'], 'ĐN'],
  ['Cần Thơ', 'S', '18', 2.5, ['Quận Ninh Kiều', 'Quận Bình Thủy', 'Quận Cái Răng', 'Quận Ô Môn', 'Huyện Phong Điền']],
  ['An Giang', 'S', '16', 1.8, ['TP. Long Xuyên', 'TP. Châu Đốc', 'Huyện Châu Phú', 'Huyện Thoại Sơn']],
  ['Bà Rịa - Vũng Tàu', 'S', '35', 2.5, ['TP. Vũng Tàu', 'TP. Bà Rịa', 'Thị xã Phú Mỹ', 'Huyện Xuyên Mộc'], 'BR-VT'],
  ['Bắc Giang', 'N', '24', 1.8, ['TP. Bắc Giang', 'Huyện Lạng Giang', 'Huyện Yên Dũng', 'Huyện Lục Nam']],
  ['Bắc Kạn', 'N', '47', 0.4, ['TP. Bắc Kạn', 'Huyện Chợ Mới', 'Huyện Ba Bể', 'Huyện Bạch Thông']],
  ['Bạc Liêu', 'S', '19', 0.7, ['TP. Bạc Liêu', 'Thị xã Giá Rai', 'Huyện Hòa Bình', 'Huyện Phước Long']],
  ['Bắc Ninh', 'N', '23', 2.5, ['TP. Bắc Ninh', 'TP. Từ Sơn', 'Huyện Tiên Du', 'Huyện Quế Võ']],
  ['Bến Tre', 'S', '13', 1.2, ['TP. Bến Tre', 'Huyện Châu Thành', 'Huyện Mỏ Cày Nam', 'Huyện Ba Tri']],
  ['Bình Định', 'C', '41', 1.6, ['TP. Quy Nhơn', 'Thị xã An Nhơn', 'Huyện Tuy Phước', 'Huyện Phù Cát']],
  ['Bình Dương', 'S', '37', 4, ['TP. Thủ Dầu Một', 'TP. Dĩ An', 'TP. Thuận An', 'TP. Tân Uyên']],
  ['Bình Phước', 'S', '38', 1, ['TP. Đồng Xoài', 'Thị xã Bình Long', 'Huyện Chơn Thành', 'Huyện Đồng Phú']],
  ['Bình Thuận', 'S', '34', 1.2, ['TP. Phan Thiết', 'Thị xã La Gi', 'Huyện Hàm Thuận Bắc', 'Huyện Bắc Bình']],
  ['Cà Mau', 'S', '20', 1.1, ['TP. Cà Mau', 'Huyện Năm Căn', 'Huyện Cái Nước', 'Huyện Trần Văn Thời']],
  ['Cao Bằng', 'N', '48', 0.5, ['TP. Cao Bằng', 'Huyện Hòa An', 'Huyện Trùng Khánh', 'Huyện Quảng Hòa']],
  ['Đắk Lắk', 'C', '60', 2, ['TP. Buôn Ma Thuột', 'Thị xã Buôn Hồ', 'Huyện Krông Pắc', "Huyện Cư M'gar"]],
  ['Đắk Nông', 'C', '64', 0.6, ['TP. Gia Nghĩa', 'Huyện Đắk Mil', 'Huyện Cư Jút', "Huyện Đắk R'lấp"]],
  ['Điện Biên', 'N', '56', 0.5, ['TP. Điện Biên Phủ', 'Huyện Điện Biên', 'Huyện Mường Ảng', 'Huyện Tuần Giáo']],
  ['Đồng Nai', 'S', '36', 4, ['TP. Biên Hòa', 'TP. Long Khánh', 'Huyện Nhơn Trạch', 'Huyện Trảng Bom']],
  ['Đồng Tháp', 'S', '14', 1.4, ['TP. Cao Lãnh', 'TP. Sa Đéc', 'TP. Hồng Ngự', 'Huyện Lấp Vò']],
  ['Gia Lai', 'C', '59', 1.5, ['TP. Pleiku', 'Thị xã An Khê', 'Huyện Chư Sê', 'Huyện Đắk Đoa']],
  ['Hà Giang', 'N', '51', 0.6, ['TP. Hà Giang', 'Huyện Vị Xuyên', 'Huyện Bắc Quang', 'Huyện Đồng Văn']],
  ['Hà Nam', 'N', '07', 0.9, ['TP. Phủ Lý', 'Thị xã Duy Tiên', 'Huyện Kim Bảng', 'Huyện Thanh Liêm']],
  ['Hà Tĩnh', 'C', '30', 1.3, ['TP. Hà Tĩnh', 'Thị xã Hồng Lĩnh', 'Thị xã Kỳ Anh', 'Huyện Cẩm Xuyên']],
  ['Hải Dương', 'N', '08', 2, ['TP. Hải Dương', 'TP. Chí Linh', 'Thị xã Kinh Môn', 'Huyện Cẩm Giàng']],
  ['Hậu Giang', 'S', '63', 0.7, ['TP. Vị Thanh', 'TP. Ngã Bảy', 'Huyện Châu Thành A', 'Huyện Long Mỹ']],
  ['Hòa Bình', 'N', '54', 0.8, ['TP. Hòa Bình', 'Huyện Lương Sơn', 'Huyện Mai Châu', 'Huyện Kim Bôi']],
  ['Hưng Yên', 'N', '09', 1.5, ['TP. Hưng Yên', 'Thị xã Mỹ Hào', 'Huyện Văn Lâm', 'Huyện Yên Mỹ']],
  ['Khánh Hòa', 'C', '42', 2, ['TP. Nha Trang', 'TP. Cam Ranh', 'Thị xã Ninh Hòa', 'Huyện Diên Khánh']],
  ['Kiên Giang', 'S', '17', 1.8, ['TP. Rạch Giá', 'TP. Phú Quốc', 'TP. Hà Tiên', 'Huyện Châu Thành']],
  ['Kon Tum', 'C', '61', 0.5, ['TP. Kon Tum', 'Huyện Đắk Hà', 'Huyện Ngọc Hồi', 'Huyện Sa Thầy']],
  ['Lai Châu', 'N', '62', 0.4, ['TP. Lai Châu', 'Huyện Tam Đường', 'Huyện Phong Thổ', 'Huyện Than Uyên']],
  ['Lâm Đồng', 'C', '58', 1.8, ['TP. Đà Lạt', 'TP. Bảo Lộc', 'Huyện Đức Trọng', 'Huyện Lâm Hà']],
  ['Lạng Sơn', 'N', '49', 0.8, ['TP. Lạng Sơn', 'Huyện Cao Lộc', 'Huyện Hữu Lũng', 'Huyện Chi Lăng']],
  ['Lào Cai', 'N', '53', 0.9, ['TP. Lào Cai', 'Thị xã Sa Pa', 'Huyện Bảo Thắng', 'Huyện Bát Xát']],
  ['Long An', 'S', '11', 2, ['TP. Tân An', 'Thị xã Kiến Tường', 'Huyện Bến Lức', 'Huyện Đức Hòa']],
  ['Nam Định', 'N', '06', 1.5, ['TP. Nam Định', 'Huyện Hải Hậu', 'Huyện Giao Thủy', 'Huyện Ý Yên']],
  ['Nghệ An', 'C', '29', 3.5, ['TP. Vinh', 'Thị xã Cửa Lò', 'Huyện Diễn Châu', 'Huyện Quỳnh Lưu', 'Huyện Nghi Lộc', 'Huyện Đô Lương']],
  ['Ninh Bình', 'N', '27', 1, ['TP. Ninh Bình', 'TP. Tam Điệp', 'Huyện Hoa Lư', 'Huyện Gia Viễn']],
  ['Ninh Thuận', 'C', '45', 0.6, ['TP. Phan Rang - Tháp Chàm', 'Huyện Ninh Hải', 'Huyện Ninh Phước', 'Huyện Thuận Nam']],
  ['Phú Thọ', 'N', '26', 1.4, ['TP. Việt Trì', 'Thị xã Phú Thọ', 'Huyện Lâm Thao', 'Huyện Phù Ninh']],
  ['Phú Yên', 'C', '44', 0.8, ['TP. Tuy Hòa', 'Thị xã Sông Cầu', 'Thị xã Đông Hòa', 'Huyện Tuy An']],
  ['Quảng Bình', 'C', '31', 0.9, ['TP. Đồng Hới', 'Thị xã Ba Đồn', 'Huyện Bố Trạch', 'Huyện Quảng Ninh']],
  ['Quảng Nam', 'C', '40', 1.6, ['TP. Tam Kỳ', 'TP. Hội An', 'Thị xã Điện Bàn', 'Huyện Núi Thành']],
  ['Quảng Ngãi', 'C', '43', 1.3, ['TP. Quảng Ngãi', 'Thị xã Đức Phổ', 'Huyện Bình Sơn', 'Huyện Sơn Tịnh']],
  ['Quảng Ninh', 'N', '57', 3, ['TP. Hạ Long', 'TP. Cẩm Phả', 'TP. Uông Bí', 'TP. Móng Cái']],
  ['Quảng Trị', 'C', '32', 0.7, ['TP. Đông Hà', 'Thị xã Quảng Trị', 'Huyện Gio Linh', 'Huyện Hải Lăng']],
  ['Sóc Trăng', 'S', '22', 1.1, ['TP. Sóc Trăng', 'Thị xã Vĩnh Châu', 'Huyện Mỹ Xuyên', 'Huyện Kế Sách']],
  ['Sơn La', 'N', '55', 0.9, ['TP. Sơn La', 'Huyện Mộc Châu', 'Huyện Mai Sơn', 'Huyện Thuận Châu']],
  ['Tây Ninh', 'S', '39', 1.2, ['TP. Tây Ninh', 'Thị xã Hòa Thành', 'Thị xã Trảng Bàng', 'Huyện Gò Dầu']],
  ['Thái Bình', 'N', '10', 1.5, ['TP. Thái Bình', 'Huyện Tiền Hải', 'Huyện Thái Thụy', 'Huyện Kiến Xương']],
  ['Thái Nguyên', 'N', '46', 1.6, ['TP. Thái Nguyên', 'TP. Sông Công', 'TP. Phổ Yên', 'Huyện Đại Từ']],
  ['Thanh Hóa', 'C', '28', 3.5, ['TP. Thanh Hóa', 'TP. Sầm Sơn', 'Thị xã Bỉm Sơn', 'Thị xã Nghi Sơn', 'Huyện Thọ Xuân']],
  ['Thừa Thiên Huế', 'C', '33', 1.4, ['TP. Huế', 'Thị xã Hương Thủy', 'Thị xã Hương Trà', 'Huyện Phú Vang'], 'TT Huế'],
  ['Tiền Giang', 'S', '12', 1.6, ['TP. Mỹ Tho', 'TP. Gò Công', 'Thị xã Cai Lậy', 'Huyện Châu Thành']],
  ['Trà Vinh', 'S', '21', 0.9, ['TP. Trà Vinh', 'Thị xã Duyên Hải', 'Huyện Càng Long', 'Huyện Cầu Kè']],
  ['Tuyên Quang', 'N', '50', 0.7, ['TP. Tuyên Quang', 'Huyện Sơn Dương', 'Huyện Yên Sơn', 'Huyện Hàm Yên']],
  ['Vĩnh Long', 'S', '15', 1, ['TP. Vĩnh Long', 'Thị xã Bình Minh', 'Huyện Long Hồ', 'Huyện Mang Thít']],
  ['Vĩnh Phúc', 'N', '25', 1.6, ['TP. Vĩnh Yên', 'TP. Phúc Yên', 'Huyện Bình Xuyên', 'Huyện Tam Dương']],
  ['Yên Bái', 'N', '52', 0.7, ['TP. Yên Bái', 'Thị xã Nghĩa Lộ', 'Huyện Văn Yên', 'Huyện Trấn Yên']],
];

const CITIES = new Set(['Hà Nội', 'TP. Hồ Chí Minh', 'Hải Phòng', 'Đà Nẵng', 'Cần Thơ']);

export const PROVINCES: Province[] = RAW.map(([name, region, tax, weight, districts, short]) => {
  const city = CITIES.has(name);
  const label = name === 'TP. Hồ Chí Minh' ? 'TP. Hồ Chí Minh' : city ? `TP. ${name}` : `tỉnh ${name}`;
  return { name, label, short: short ?? name, region, tax, weight, districts, city };
});

/** Name written after an agency's title: "Sở Y tế Hà Nội", "Sở Y tế tỉnh Nghệ An". */
export function agencyPlace(p: Province): string {
  return p.city ? p.name : `tỉnh ${p.name}`;
}

/** Family names with their approximate share of the population. */
export const FAMILY: [string, number][] = [
  ['Nguyễn', 38], ['Trần', 11], ['Lê', 9.5], ['Phạm', 7.1], ['Hoàng', 3.5], ['Huỳnh', 2.2], ['Phan', 4.5],
  ['Vũ', 2.4], ['Võ', 1.8], ['Đặng', 2.1], ['Bùi', 2], ['Đỗ', 1.4], ['Hồ', 1.3], ['Ngô', 1.3], ['Dương', 1],
  ['Lý', 0.5], ['Đinh', 0.6], ['Đào', 0.5], ['Trịnh', 0.5], ['Mai', 0.4], ['Lương', 0.4], ['Tạ', 0.3],
  ['Cao', 0.3], ['Lâm', 0.3], ['Chu', 0.2], ['Hà', 0.3], ['Tô', 0.2], ['Vương', 0.2], ['Kiều', 0.1], ['Thái', 0.2],
];

export const MIDDLE_M: [string, number][] = [
  ['Văn', 40], ['Hữu', 8], ['Đức', 8], ['Minh', 8], ['Quốc', 6], ['Công', 5], ['Thanh', 5], ['Xuân', 4],
  ['Ngọc', 3], ['Hoàng', 3], ['Trọng', 3], ['Đình', 4], ['Anh', 2], ['Quang', 3], ['Tiến', 2], ['Mạnh', 2],
];
export const MIDDLE_F: [string, number][] = [
  ['Thị', 55], ['Ngọc', 8], ['Thu', 6], ['Thanh', 6], ['Minh', 4], ['Kim', 4], ['Mai', 3], ['Phương', 3],
  ['Thùy', 3], ['Hồng', 3], ['Bích', 2], ['Diệu', 1], ['Hải', 2],
];
export const GIVEN_M: [string, number][] = [
  ['Hùng', 9], ['Dũng', 8], ['Tuấn', 8], ['Minh', 8], ['Nam', 7], ['Hải', 7], ['Long', 6], ['Thắng', 6],
  ['Cường', 6], ['Hưng', 5], ['Sơn', 6], ['Trung', 5], ['Thành', 6], ['Quang', 5], ['Đức', 5], ['Huy', 5],
  ['Tùng', 4], ['Phong', 4], ['An', 5], ['Bình', 5], ['Việt', 4], ['Hiếu', 3], ['Khánh', 3], ['Lâm', 2],
  ['Toàn', 3], ['Thịnh', 2], ['Vinh', 3], ['Tài', 2], ['Phúc', 2], ['Hòa', 3], ['Quân', 3], ['Kiên', 2],
  ['Trường', 2], ['Đạt', 3], ['Hoàng', 2], ['Tâm', 2], ['Nghĩa', 2], ['Tú', 2], ['Lộc', 1], ['Vũ', 1],
];
export const GIVEN_F: [string, number][] = [
  ['Hương', 8], ['Lan', 7], ['Linh', 7], ['Hà', 6], ['Trang', 7], ['Mai', 6], ['Hằng', 5], ['Thảo', 6],
  ['Ngọc', 4], ['Anh', 6], ['Phương', 5], ['Hoa', 5], ['Thủy', 5], ['Huyền', 5], ['Nga', 4], ['Dung', 4],
  ['Hạnh', 4], ['Yến', 4], ['Nhung', 3], ['Loan', 3], ['Vân', 3], ['Quỳnh', 3], ['Giang', 3], ['Chi', 2],
  ['Oanh', 2], ['Tuyết', 2], ['Hiền', 3], ['Thu', 3], ['Liên', 2], ['Nhàn', 1],
];

export type LegalForm = 'TNHH' | 'TNHH_MTV' | 'CP' | 'DNTN';

/** How a legal form is written in front of the name, with weights. */
export const LEGAL_PREFIX: Record<LegalForm, [string, number][]> = {
  TNHH: [['Công ty TNHH', 10], ['Công ty Trách nhiệm hữu hạn', 1]],
  TNHH_MTV: [['Công ty TNHH MTV', 5], ['Công ty TNHH Một thành viên', 3]],
  CP: [['Công ty Cổ phần', 6], ['CTCP', 3], ['Công ty CP', 2]],
  DNTN: [['DNTN', 3], ['Doanh nghiệp tư nhân', 1]],
};

export const NAME_A = [
  'An', 'Bảo', 'Bình', 'Đại', 'Đức', 'Gia', 'Hải', 'Hoàng', 'Hòa', 'Hồng', 'Hưng', 'Kim', 'Lộc', 'Minh',
  'Nam', 'Ngọc', 'Phú', 'Phúc', 'Quang', 'Sao', 'Tân', 'Thái', 'Thành', 'Thiên', 'Thịnh', 'Trí', 'Trung',
  'Trường', 'Tuấn', 'Vạn', 'Việt', 'Vĩnh', 'Xuân', 'Đông', 'Tây', 'Bắc', 'Huy', 'Khang', 'Long', 'Mạnh',
  'Nhật', 'Phát', 'Quốc', 'Sơn', 'Tiến', 'Toàn', 'Trường', 'Anh', 'Đăng', 'Hữu', 'Kiến', 'Lạc', 'Mỹ',
];
export const NAME_B = [
  'An', 'Phát', 'Thành', 'Long', 'Khang', 'Thịnh', 'Hưng', 'Lợi', 'Phú', 'Tín', 'Đạt', 'Mai', 'Minh',
  'Sơn', 'Việt', 'Lộc', 'Hải', 'Nguyên', 'Tiến', 'Gia', 'Quang', 'Anh', 'Dương', 'Hà', 'Hoàng', 'Kỳ',
  'Nam', 'Phong', 'Tâm', 'Thuận', 'Trí', 'Vinh', 'Xương', 'Bảo', 'Đức', 'Cường', 'Hòa', 'Lâm',
];
export const NAME_C = [
  'Phát', 'Hưng', 'Việt', 'Group', 'Tech', 'Land', 'Xanh', '68', '79', '86', '365', 'Plus', 'Star',
  'Invest', 'Green', 'Smart', 'Pro', 'Global', 'Hà Thành', 'Sài Gòn', 'Mới', 'Vàng',
];

/** Place suffixes appended to company names. */
export const PLACE_SUFFIX = ['Việt Nam', 'Hà Nội', 'Sài Gòn', 'Miền Bắc', 'Miền Trung', 'Miền Nam', 'Thủ Đô', 'Tây Nguyên', 'Đông Dương', 'Quốc tế'];

export const STREETS = [
  'Lê Lợi', 'Trần Phú', 'Nguyễn Huệ', 'Hai Bà Trưng', 'Lý Thường Kiệt', 'Quang Trung', 'Trần Hưng Đạo',
  'Nguyễn Trãi', 'Lê Duẩn', 'Điện Biên Phủ', 'Hùng Vương', 'Phan Chu Trinh', 'Nguyễn Du', 'Bà Triệu',
  'Lê Thánh Tông', 'Nguyễn Văn Cừ', 'Võ Văn Kiệt', 'Phạm Văn Đồng', 'Cách Mạng Tháng Tám', '3 Tháng 2',
  'Nguyễn Thị Minh Khai', 'Lạc Long Quân', 'Ngô Quyền', 'Lê Hồng Phong', 'Trường Chinh', 'Tôn Đức Thắng',
  'Hoàng Văn Thụ', 'Nguyễn Chí Thanh', 'Kim Mã', 'Giải Phóng', 'Xuân Thủy', 'Láng Hạ', 'Đinh Tiên Hoàng',
  'Phan Đình Phùng', 'Võ Thị Sáu', 'Nam Kỳ Khởi Nghĩa', 'Lê Văn Sỹ', 'Cộng Hòa', 'Hoàng Hoa Thám',
  'Nguyễn Văn Linh', 'Phạm Hùng', 'Lê Quang Đạo', 'Trần Duy Hưng', 'Nguyễn Tất Thành', 'Âu Cơ',
  'Lý Thái Tổ', 'Trần Quốc Toản', 'Bạch Đằng', 'Ngô Gia Tự', 'Phan Bội Châu', 'Huỳnh Thúc Kháng',
  'Nguyễn Lương Bằng', 'Tô Hiến Thành', 'Yersin', 'Pasteur', 'Võ Nguyên Giáp', 'Nguyễn Văn Trỗi',
  'Hồ Tùng Mậu', 'Nguyễn Xiển', 'Chu Văn An',
];

export const WARDS = [
  'Quang Trung', 'Trần Phú', 'Hòa Bình', 'Tân An', 'Lê Lợi', 'Hưng Bình', 'Bến Thành', 'Tân Định',
  'Đa Kao', 'Bến Nghé', 'Cầu Kho', 'Nguyễn Cư Trinh', 'Hàng Bài', 'Tràng Tiền', 'Cửa Nam', 'Kim Liên',
  'Trung Hòa', 'Dịch Vọng', 'Mỹ Đình 1', 'Mễ Trì', 'Thạch Bàn', 'Tân Mai', 'Vĩnh Tuy', 'Tân Phong',
  'Tân Thuận Đông', 'Hòa Cường Bắc', 'Thạc Gián', 'An Hải Bắc', 'Hưng Phúc', 'Đông Vĩnh', 'Hà Huy Tập',
  'Thanh Bình', 'Minh Khai', 'Lam Sơn', 'Điện Biên', 'Phú Sơn', 'Tân Lập', 'Đồng Quang', 'Xuân Hòa', 'An Phú',
];
export const COMMUNES = ['Xuân Lâm', 'Hưng Đạo', 'Tân Thành', 'Phú Xuân', 'Đông Hưng', 'Thanh Lương', 'Nghĩa Phú', 'Hòa Lợi', 'Bình Minh', 'Tân Hiệp', 'Vĩnh Thạnh', 'Phước Hòa', 'An Thạnh', 'Long Hậu'];
export const HAMLETS = ['Thôn 1', 'Thôn 2', 'Thôn 3', 'Thôn Đông', 'Thôn Trung', 'Ấp 1', 'Ấp 2', 'Ấp Bình Hòa', 'Khu phố 3', 'Tổ 5'];

export const BUILDINGS = [
  'Tòa nhà Sông Đà', 'Tòa nhà Center Building', 'Tòa nhà Vincom Center', 'Tòa nhà Charmvit', 'Tòa nhà HITC',
  'Tòa nhà Indochina Park Tower', 'Tòa nhà Đông Á', 'Tòa nhà VCCI', 'Tòa nhà Harec', 'Tòa nhà Thành Công',
  'Tòa nhà Hà Đô', 'Tòa nhà Viettel Complex', 'Tòa nhà Saigon Centre', 'Tòa nhà PVI', 'Tòa nhà Licogi 13',
];
export const INDUSTRIAL_PARKS = ['KCN Quang Minh', 'KCN Thăng Long', 'KCN Tân Tạo', 'KCN Sóng Thần', 'KCN VSIP', 'KCN Biên Hòa 2', 'KCN Đình Vũ', 'KCN Hòa Khánh', 'KCN Tiên Sơn', 'KCN Phố Nối A'];

export const MOBILE_PREFIX = ['090', '091', '093', '094', '096', '097', '098', '086', '088', '089', '032', '033', '034', '035', '036', '037', '038', '039', '070', '076', '077', '078', '079', '081', '082', '083', '084', '085'];

export const BANKS: [string, number][] = [
  ['Vietcombank', 13], ['VietinBank', 12], ['BIDV', 14], ['Agribank', 13], ['Techcombank', 14],
  ['MB', 13], ['ACB', 9], ['VPBank', 9], ['Sacombank', 12], ['SHB', 10], ['TPBank', 11], ['HDBank', 12],
];
