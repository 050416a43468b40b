//! The words a grown catalogue is made of: vendors' names, stall names and the goods of Lào Cai's
//! markets, each with its category, unit and usual price, so the pages, search and OCOP listing
//! see the mix of names and accents real vendors type.
use app::domain::category::Category;
use app::domain::quantity::Unit;

pub(super) const FAMILY_NAMES: [&str; 14] = [
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đỗ", "Lò", "Giàng", "Sùng", "Vàng", "Thào",
    "Lù", "Hầu",
];

pub(super) const MIDDLE_NAMES: [&str; 8] =
    ["Thị", "Văn", "A", "Seo", "Thị Thu", "Đức", "Minh", "Mí"];

pub(super) const GIVEN_NAMES: [&str; 20] = [
    "Hằng", "Lan", "Mai", "Hoa", "Dung", "Pao", "Chứ", "Mỷ", "Sử", "Tùng", "Hùng", "Dìn", "Súa",
    "Thắng", "Phương", "Nga", "Tú", "Chinh", "Páo", "Xuân",
];

/// How a market stall is called, before its owner's given name.
pub(super) const STALL_KINDS: [&str; 10] = [
    "Quầy rau",
    "Hàng hoa quả",
    "Đặc sản",
    "Quầy đồ khô",
    "Hàng thịt",
    "Quầy chè và cà phê",
    "Hàng thổ cẩm",
    "Quầy gạo",
    "Hàng mật ong",
    "Tạp hoá",
];

/// How an OCOP producer is called, before its village.
pub(super) const PRODUCER_KINDS: [&str; 5] = [
    "Hợp tác xã",
    "Tổ hợp tác",
    "Hộ sản xuất",
    "Cơ sở chế biến",
    "Công ty nông sản",
];

pub(super) const COMMUNES: [&str; 12] = [
    "Tả Van",
    "Lao Chải",
    "Bản Phố",
    "Lùng Phình",
    "Y Tý",
    "Sán Chải",
    "Tả Phìn",
    "Nậm Chạc",
    "Bản Vược",
    "Phong Niên",
    "Thải Giàng Phố",
    "Cán Cấu",
];

/// Where a product comes from, after its name.
pub(super) const ORIGINS: [&str; 10] = [
    "Sa Pa",
    "Bắc Hà",
    "Mường Khương",
    "Bát Xát",
    "Si Ma Cai",
    "Bảo Yên",
    "Văn Bàn",
    "Y Tý",
    "Bảo Thắng",
    "Lào Cai",
];

/// What sets one listing apart from another of the same goods.
pub(super) const VARIANTS: [&str; 12] = [
    "loại 1",
    "đặc biệt",
    "nhà làm",
    "hữu cơ",
    "túi 500 g",
    "hộp quà",
    "vụ mới",
    "sấy khô",
    "truyền thống",
    "bản to",
    "gói nhỏ",
    "tươi",
];

pub(super) const SENTENCES: [&str; 8] = [
    "Hàng lấy tận gốc của bà con trên bản, không qua trung gian.",
    "Đóng gói cẩn thận, có thể gửi xe khách về xuôi trong ngày.",
    "Bảo quản nơi khô ráo, tránh ánh nắng trực tiếp.",
    "Khách mua nhiều được bớt, hỏi thêm tại quầy.",
    "Mùa nào thức nấy, hết hàng sẽ báo trên trang.",
    "Làm theo cách truyền thống của người Mông và người Dao.",
    "Đã có giấy kiểm định an toàn thực phẩm.",
    "Hương vị núi rừng Tây Bắc, hợp làm quà biếu.",
];

/// Goods as vendors list them: name, category, unit, usual price in đồng.
pub(super) const GOODS: [(&str, Category, Unit, i64); 24] = [
    ("Mật ong rừng", Category::Honey, Unit::Chai, 350_000),
    ("Mật ong bạc hà", Category::Honey, Unit::Chai, 420_000),
    ("Cà phê Arabica", Category::TeaCoffee, Unit::Goi, 180_000),
    ("Cà phê rang xay", Category::TeaCoffee, Unit::Goi, 150_000),
    ("Chè Shan tuyết", Category::TeaCoffee, Unit::Goi, 250_000),
    ("Táo mèo", Category::Fruit, Unit::Kg, 40_000),
    ("Mận hậu", Category::Fruit, Unit::Kg, 45_000),
    ("Lê tai nung", Category::Fruit, Unit::Kg, 50_000),
    ("Dứa Mường Khương", Category::Fruit, Unit::Con, 25_000),
    ("Rau cải mèo", Category::Vegetables, Unit::Bo, 15_000),
    ("Su su ngọn", Category::Vegetables, Unit::Bo, 12_000),
    ("Măng đắng", Category::Vegetables, Unit::Kg, 30_000),
    ("Thịt trâu gác bếp", Category::Meat, Unit::Kg, 1_050_000),
    ("Lạp sườn hun khói", Category::Meat, Unit::Kg, 320_000),
    ("Gà đen", Category::Meat, Unit::Con, 280_000),
    ("Gạo nếp cái hoa vàng", Category::Grains, Unit::Kg, 35_000),
    ("Gạo Séng Cù", Category::Grains, Unit::Kg, 30_000),
    ("Rượu ngô men lá", Category::Drinks, Unit::Chai, 120_000),
    ("Thảo quả khô", Category::HerbsSpices, Unit::Lang, 40_000),
    ("Hạt dổi", Category::HerbsSpices, Unit::Lang, 90_000),
    ("Nấm hương rừng", Category::DriedGoods, Unit::Lang, 60_000),
    ("Măng khô", Category::DriedGoods, Unit::Kg, 220_000),
    ("Túi thổ cẩm", Category::Crafts, Unit::Con, 150_000),
    ("Khăn lanh nhuộm chàm", Category::Crafts, Unit::Con, 200_000),
];
