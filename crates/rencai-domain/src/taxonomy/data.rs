//! Seed lists for the station's taxonomies. Codes are stable identifiers used in URLs and the
//! API (`/jobs?district=wz-gaosuntang`); never rename a code, add new ones instead.

/// Administrative kind of a district-level place inside the station.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlaceKind {
    Street,
    Town,
    Township,
}

/// A street (街道), town (镇) or township (乡) of the station, with an approximate centre point
/// (WGS-84, degrees) used to fall back when a visitor shares no location.
#[derive(Debug, Clone, Copy)]
pub struct DistrictSeed {
    pub code: &'static str,
    pub name: &'static str,
    pub kind: PlaceKind,
    pub lat: f64,
    pub lng: f64,
}

/// A term of a flat or two-level taxonomy. `parent` names the parent's code.
#[derive(Debug, Clone, Copy)]
pub struct TermSeed {
    pub code: &'static str,
    pub name: &'static str,
    pub parent: Option<&'static str>,
}

/// The 52 streets, towns and townships of 重庆市万州区, in the order of their official division
/// codes: the urban streets first (高峰, 天城 and 九池 became streets in 2021), then the towns,
/// then the townships. Points are approximate centres inside each place's boundary.
pub static WANZHOU_DISTRICTS: &[DistrictSeed] = &[
    // 街道
    DistrictSeed {
        code: "wz-gaosuntang", name: "高笋塘街道", kind: PlaceKind::Street, lat: 30.8084, lng: 108.3801
    },
    DistrictSeed { code: "wz-taibai", name: "太白街道", kind: PlaceKind::Street, lat: 30.8116, lng: 108.3461 },
    DistrictSeed { code: "wz-pailou", name: "牌楼街道", kind: PlaceKind::Street, lat: 30.7848, lng: 108.3861 },
    DistrictSeed {
        code: "wz-shuanghekou", name: "双河口街道", kind: PlaceKind::Street, lat: 30.7465, lng: 108.3632
    },
    DistrictSeed { code: "wz-longdu", name: "龙都街道", kind: PlaceKind::Street, lat: 30.7374, lng: 108.4000 },
    DistrictSeed {
        code: "wz-zhoujiaba", name: "周家坝街道", kind: PlaceKind::Street, lat: 30.8425, lng: 108.3664
    },
    DistrictSeed { code: "wz-shahe", name: "沙河街道", kind: PlaceKind::Street, lat: 30.8446, lng: 108.3438 },
    DistrictSeed {
        code: "wz-zhonggulou", name: "钟鼓楼街道", kind: PlaceKind::Street, lat: 30.8465, lng: 108.4180
    },
    DistrictSeed { code: "wz-baianba", name: "百安坝街道", kind: PlaceKind::Street, lat: 30.7515, lng: 108.4462 },
    DistrictSeed { code: "wz-wuqiao", name: "五桥街道", kind: PlaceKind::Street, lat: 30.7907, lng: 108.4690 },
    DistrictSeed {
        code: "wz-chenjiaba", name: "陈家坝街道", kind: PlaceKind::Street, lat: 30.8065, lng: 108.4272
    },
    DistrictSeed { code: "wz-gaofeng", name: "高峰街道", kind: PlaceKind::Street, lat: 30.7046, lng: 108.3406 },
    DistrictSeed { code: "wz-tiancheng", name: "天城街道", kind: PlaceKind::Street, lat: 30.8954, lng: 108.3663 },
    DistrictSeed { code: "wz-jiuchi", name: "九池街道", kind: PlaceKind::Street, lat: 30.7718, lng: 108.3339 },
    // 镇
    DistrictSeed { code: "wz-xiaozhou", name: "小周镇", kind: PlaceKind::Town, lat: 30.9384, lng: 108.5187 },
    DistrictSeed { code: "wz-dazhou", name: "大周镇", kind: PlaceKind::Town, lat: 30.9001, lng: 108.4909 },
    DistrictSeed { code: "wz-xinxiang", name: "新乡镇", kind: PlaceKind::Town, lat: 30.4825, lng: 108.2924 },
    DistrictSeed { code: "wz-sunjia", name: "孙家镇", kind: PlaceKind::Town, lat: 30.7383, lng: 108.0134 },
    DistrictSeed { code: "wz-longsha", name: "龙沙镇", kind: PlaceKind::Town, lat: 30.6104, lng: 108.2356 },
    DistrictSeed { code: "wz-xiangshui", name: "响水镇", kind: PlaceKind::Town, lat: 30.6567, lng: 108.1666 },
    DistrictSeed { code: "wz-wuling", name: "武陵镇", kind: PlaceKind::Town, lat: 30.5276, lng: 108.2274 },
    DistrictSeed { code: "wz-rangdu", name: "瀼渡镇", kind: PlaceKind::Town, lat: 30.5875, lng: 108.2943 },
    DistrictSeed { code: "wz-ganning", name: "甘宁镇", kind: PlaceKind::Town, lat: 30.6736, lng: 108.2736 },
    DistrictSeed { code: "wz-xiongjia", name: "熊家镇", kind: PlaceKind::Town, lat: 30.9214, lng: 108.4583 },
    DistrictSeed { code: "wz-gaoliang", name: "高梁镇", kind: PlaceKind::Town, lat: 30.8333, lng: 108.2786 },
    DistrictSeed { code: "wz-lihe", name: "李河镇", kind: PlaceKind::Town, lat: 30.8029, lng: 108.2148 },
    DistrictSeed { code: "wz-fenshui", name: "分水镇", kind: PlaceKind::Town, lat: 30.6883, lng: 108.1076 },
    DistrictSeed { code: "wz-yujia", name: "余家镇", kind: PlaceKind::Town, lat: 30.7953, lng: 107.9584 },
    DistrictSeed { code: "wz-houshan", name: "后山镇", kind: PlaceKind::Town, lat: 30.8125, lng: 108.0801 },
    DistrictSeed { code: "wz-danzi", name: "弹子镇", kind: PlaceKind::Town, lat: 30.8685, lng: 108.0100 },
    DistrictSeed { code: "wz-changling", name: "长岭镇", kind: PlaceKind::Town, lat: 30.7599, lng: 108.5260 },
    DistrictSeed { code: "wz-xintian", name: "新田镇", kind: PlaceKind::Town, lat: 30.6591, lng: 108.4257 },
    DistrictSeed { code: "wz-baiyang", name: "白羊镇", kind: PlaceKind::Town, lat: 30.8345, lng: 108.6134 },
    DistrictSeed { code: "wz-longju", name: "龙驹镇", kind: PlaceKind::Town, lat: 30.6456, lng: 108.6508 },
    DistrictSeed { code: "wz-zouma", name: "走马镇", kind: PlaceKind::Town, lat: 30.5655, lng: 108.4786 },
    DistrictSeed { code: "wz-luotian", name: "罗田镇", kind: PlaceKind::Town, lat: 30.5268, lng: 108.5728 },
    DistrictSeed { code: "wz-tailong", name: "太龙镇", kind: PlaceKind::Town, lat: 30.8564, lng: 108.5256 },
    DistrictSeed { code: "wz-changtan", name: "长滩镇", kind: PlaceKind::Town, lat: 30.7319, lng: 108.6365 },
    DistrictSeed { code: "wz-taian", name: "太安镇", kind: PlaceKind::Town, lat: 30.7916, lng: 108.6799 },
    DistrictSeed { code: "wz-baitu", name: "白土镇", kind: PlaceKind::Town, lat: 30.6134, lng: 108.8048 },
    DistrictSeed { code: "wz-guocun", name: "郭村镇", kind: PlaceKind::Town, lat: 30.5852, lng: 108.1532 },
    // 乡 (including the two 土家族乡)
    DistrictSeed { code: "wz-zhushan", name: "柱山乡", kind: PlaceKind::Township, lat: 30.7417, lng: 108.2565 },
    DistrictSeed { code: "wz-tiefeng", name: "铁峰乡", kind: PlaceKind::Township, lat: 30.9671, lng: 108.3982 },
    DistrictSeed { code: "wz-xikou", name: "溪口乡", kind: PlaceKind::Township, lat: 30.5920, lng: 108.3519 },
    DistrictSeed { code: "wz-changping", name: "长坪乡", kind: PlaceKind::Township, lat: 30.4336, lng: 108.2690 },
    DistrictSeed { code: "wz-yanshan", name: "燕山乡", kind: PlaceKind::Township, lat: 30.5324, lng: 108.3274 },
    DistrictSeed { code: "wz-lishu", name: "梨树乡", kind: PlaceKind::Township, lat: 30.6674, lng: 108.7723 },
    DistrictSeed { code: "wz-puzi", name: "普子乡", kind: PlaceKind::Township, lat: 30.5559, lng: 108.8397 },
    DistrictSeed {
        code: "wz-dibao", name: "地宝土家族乡", kind: PlaceKind::Township, lat: 30.6599, lng: 108.8526
    },
    DistrictSeed {
        code: "wz-henghe", name: "恒合土家族乡", kind: PlaceKind::Township, lat: 30.5558, lng: 108.7416
    },
    DistrictSeed { code: "wz-huangbai", name: "黄柏乡", kind: PlaceKind::Township, lat: 30.9024, lng: 108.5923 },
    DistrictSeed { code: "wz-cizhu", name: "茨竹乡", kind: PlaceKind::Township, lat: 30.6621, lng: 108.5119 },
];

/// Industries an employer can belong to (flat).
pub static INDUSTRIES: &[TermSeed] = &[
    TermSeed { code: "internet", name: "互联网/IT", parent: None },
    TermSeed { code: "electronics", name: "电子/通信/半导体", parent: None },
    TermSeed { code: "ecommerce", name: "电子商务", parent: None },
    TermSeed { code: "finance", name: "金融/银行/保险", parent: None },
    TermSeed { code: "real-estate", name: "房地产/建筑", parent: None },
    TermSeed { code: "manufacturing", name: "制造业/加工", parent: None },
    TermSeed { code: "automotive", name: "汽车/摩托车", parent: None },
    TermSeed { code: "textile-apparel", name: "纺织/服装/皮革", parent: None },
    TermSeed { code: "food-beverage", name: "食品/饮料", parent: None },
    TermSeed { code: "wholesale-retail", name: "批发/零售", parent: None },
    TermSeed { code: "hospitality", name: "餐饮/酒店/旅游", parent: None },
    TermSeed { code: "education", name: "教育/培训", parent: None },
    TermSeed { code: "healthcare", name: "医疗/医药/卫生", parent: None },
    TermSeed { code: "logistics", name: "物流/运输/仓储", parent: None },
    TermSeed { code: "shipping-port", name: "航运/港口", parent: None },
    TermSeed { code: "energy-chemical", name: "能源/化工/环保", parent: None },
    TermSeed { code: "power-water", name: "电力/水利", parent: None },
    TermSeed { code: "agriculture", name: "农林牧渔", parent: None },
    TermSeed { code: "public-sector", name: "政府/公共事业/非营利", parent: None },
    TermSeed { code: "culture-media", name: "文化/传媒/广告", parent: None },
    TermSeed { code: "life-services", name: "生活服务", parent: None },
    TermSeed { code: "housekeeping-property", name: "家政/物业", parent: None },
    TermSeed { code: "hr-services", name: "人力资源服务", parent: None },
    TermSeed { code: "legal-consulting", name: "法律/咨询", parent: None },
    TermSeed { code: "business-services", name: "商务服务", parent: None },
];

/// Job categories, two levels: each top-level category is directly followed by its children,
/// whose codes start with the parent's code.
pub static JOB_CATEGORIES: &[TermSeed] = &[
    TermSeed { code: "sales", name: "销售", parent: None },
    TermSeed { code: "sales-rep", name: "销售代表", parent: Some("sales") },
    TermSeed { code: "sales-phone", name: "电话销售", parent: Some("sales") },
    TermSeed { code: "sales-manager", name: "销售经理", parent: Some("sales") },
    TermSeed { code: "sales-realty", name: "房产经纪人", parent: Some("sales") },
    TermSeed { code: "sales-auto", name: "汽车销售", parent: Some("sales") },
    TermSeed { code: "sales-store", name: "门店销售", parent: Some("sales") },
    TermSeed { code: "sales-key-account", name: "大客户/渠道销售", parent: Some("sales") },
    TermSeed { code: "support", name: "客服", parent: None },
    TermSeed { code: "support-phone", name: "电话客服", parent: Some("support") },
    TermSeed { code: "support-online", name: "在线客服", parent: Some("support") },
    TermSeed { code: "support-aftersales", name: "售后客服", parent: Some("support") },
    TermSeed { code: "support-specialist", name: "客服专员", parent: Some("support") },
    TermSeed { code: "support-lead", name: "客服主管", parent: Some("support") },
    TermSeed { code: "office", name: "行政/人事/财务", parent: None },
    TermSeed { code: "office-admin", name: "行政专员/助理", parent: Some("office") },
    TermSeed { code: "office-reception", name: "前台/文员", parent: Some("office") },
    TermSeed { code: "office-hr", name: "人事专员", parent: Some("office") },
    TermSeed { code: "office-hr-manager", name: "人事经理", parent: Some("office") },
    TermSeed { code: "office-accountant", name: "会计", parent: Some("office") },
    TermSeed { code: "office-cashier", name: "出纳", parent: Some("office") },
    TermSeed { code: "office-finance-manager", name: "财务经理", parent: Some("office") },
    TermSeed { code: "tech", name: "技术/IT", parent: None },
    TermSeed { code: "tech-backend", name: "后端开发", parent: Some("tech") },
    TermSeed { code: "tech-frontend", name: "前端开发", parent: Some("tech") },
    TermSeed { code: "tech-mobile", name: "移动端开发", parent: Some("tech") },
    TermSeed { code: "tech-testing", name: "软件测试", parent: Some("tech") },
    TermSeed { code: "tech-ops", name: "运维/网络管理", parent: Some("tech") },
    TermSeed { code: "tech-support", name: "IT技术支持", parent: Some("tech") },
    TermSeed { code: "tech-product", name: "产品经理", parent: Some("tech") },
    TermSeed { code: "tech-ui", name: "UI设计", parent: Some("tech") },
    TermSeed { code: "production", name: "生产/制造", parent: None },
    TermSeed { code: "production-supervisor", name: "生产主管/车间主任", parent: Some("production") },
    TermSeed { code: "production-qc", name: "质检员", parent: Some("production") },
    TermSeed { code: "production-engineer", name: "工艺工程师", parent: Some("production") },
    TermSeed { code: "production-mechanical", name: "机械工程师", parent: Some("production") },
    TermSeed { code: "production-maintenance", name: "设备维修", parent: Some("production") },
    TermSeed { code: "production-planner", name: "生产计划/物料", parent: Some("production") },
    TermSeed { code: "production-safety", name: "安全主任", parent: Some("production") },
    TermSeed { code: "logistics", name: "物流/仓储/司机", parent: None },
    TermSeed { code: "logistics-courier", name: "快递员", parent: Some("logistics") },
    TermSeed { code: "logistics-delivery", name: "配送员/骑手", parent: Some("logistics") },
    TermSeed { code: "logistics-warehouse", name: "仓库管理员", parent: Some("logistics") },
    TermSeed { code: "logistics-loader", name: "装卸/搬运工", parent: Some("logistics") },
    TermSeed { code: "logistics-truck-driver", name: "货车司机", parent: Some("logistics") },
    TermSeed { code: "logistics-driver", name: "商务/小车司机", parent: Some("logistics") },
    TermSeed { code: "logistics-forklift", name: "叉车工", parent: Some("logistics") },
    TermSeed { code: "logistics-dispatcher", name: "物流调度", parent: Some("logistics") },
    TermSeed { code: "catering", name: "餐饮", parent: None },
    TermSeed { code: "catering-chef", name: "厨师", parent: Some("catering") },
    TermSeed { code: "catering-kitchen-helper", name: "帮厨/厨工", parent: Some("catering") },
    TermSeed { code: "catering-pastry", name: "面点师", parent: Some("catering") },
    TermSeed { code: "catering-waiter", name: "服务员", parent: Some("catering") },
    TermSeed { code: "catering-dishwasher", name: "洗碗工", parent: Some("catering") },
    TermSeed { code: "catering-barista", name: "咖啡/茶饮师", parent: Some("catering") },
    TermSeed { code: "catering-manager", name: "餐厅店长/经理", parent: Some("catering") },
    TermSeed { code: "hotel", name: "酒店/旅游", parent: None },
    TermSeed { code: "hotel-front-desk", name: "酒店前台", parent: Some("hotel") },
    TermSeed { code: "hotel-housekeeping", name: "客房服务员", parent: Some("hotel") },
    TermSeed { code: "hotel-lobby-manager", name: "大堂经理", parent: Some("hotel") },
    TermSeed { code: "hotel-tour-guide", name: "导游", parent: Some("hotel") },
    TermSeed { code: "hotel-travel-consultant", name: "旅游顾问/计调", parent: Some("hotel") },
    TermSeed { code: "retail", name: "零售/超市", parent: None },
    TermSeed { code: "retail-cashier", name: "收银员", parent: Some("retail") },
    TermSeed { code: "retail-stocker", name: "理货员", parent: Some("retail") },
    TermSeed { code: "retail-clerk", name: "导购/营业员", parent: Some("retail") },
    TermSeed { code: "retail-store-manager", name: "店长", parent: Some("retail") },
    TermSeed { code: "retail-floor-supervisor", name: "卖场主管", parent: Some("retail") },
    TermSeed { code: "retail-buyer", name: "采购员", parent: Some("retail") },
    TermSeed { code: "education", name: "教育/培训", parent: None },
    TermSeed { code: "education-teacher", name: "中小学教师", parent: Some("education") },
    TermSeed { code: "education-preschool", name: "幼儿教师", parent: Some("education") },
    TermSeed { code: "education-tutor", name: "辅导老师", parent: Some("education") },
    TermSeed { code: "education-arts-sports", name: "艺术/体育教练", parent: Some("education") },
    TermSeed { code: "education-advisor", name: "课程顾问", parent: Some("education") },
    TermSeed { code: "education-academic-affairs", name: "教务管理", parent: Some("education") },
    TermSeed { code: "education-vocational", name: "职业技能培训师", parent: Some("education") },
    TermSeed { code: "healthcare", name: "医疗/护理", parent: None },
    TermSeed { code: "healthcare-doctor", name: "医生", parent: Some("healthcare") },
    TermSeed { code: "healthcare-nurse", name: "护士", parent: Some("healthcare") },
    TermSeed { code: "healthcare-pharmacist", name: "药剂师/药店店员", parent: Some("healthcare") },
    TermSeed { code: "healthcare-lab", name: "医学检验/影像技师", parent: Some("healthcare") },
    TermSeed { code: "healthcare-rehab", name: "康复理疗师", parent: Some("healthcare") },
    TermSeed { code: "healthcare-dentist", name: "口腔医生", parent: Some("healthcare") },
    TermSeed { code: "healthcare-caregiver", name: "护工/养老护理员", parent: Some("healthcare") },
    TermSeed { code: "construction", name: "建筑/装修", parent: None },
    TermSeed { code: "construction-civil", name: "土建工程师", parent: Some("construction") },
    TermSeed { code: "construction-cost", name: "造价员", parent: Some("construction") },
    TermSeed { code: "construction-foreman", name: "施工员", parent: Some("construction") },
    TermSeed { code: "construction-safety", name: "安全员", parent: Some("construction") },
    TermSeed { code: "construction-surveyor", name: "测量员", parent: Some("construction") },
    TermSeed { code: "construction-interior-designer", name: "室内设计师", parent: Some("construction") },
    TermSeed { code: "construction-plumber-electrician", name: "水电工", parent: Some("construction") },
    TermSeed { code: "construction-fitter", name: "装修工(木工/瓦工/油漆工)", parent: Some("construction") },
    TermSeed { code: "domestic", name: "家政/保洁/安保", parent: None },
    TermSeed { code: "domestic-housekeeper", name: "家政服务员", parent: Some("domestic") },
    TermSeed { code: "domestic-nanny", name: "育婴师/月嫂", parent: Some("domestic") },
    TermSeed { code: "domestic-cleaner", name: "保洁员", parent: Some("domestic") },
    TermSeed { code: "domestic-security", name: "保安", parent: Some("domestic") },
    TermSeed { code: "domestic-property", name: "物业管理员", parent: Some("domestic") },
    TermSeed { code: "domestic-gardener", name: "绿化工", parent: Some("domestic") },
    TermSeed { code: "beauty", name: "美容/美发", parent: None },
    TermSeed { code: "beauty-hairdresser", name: "美发师", parent: Some("beauty") },
    TermSeed { code: "beauty-hair-assistant", name: "美发助理", parent: Some("beauty") },
    TermSeed { code: "beauty-beautician", name: "美容师", parent: Some("beauty") },
    TermSeed { code: "beauty-nail", name: "美甲师", parent: Some("beauty") },
    TermSeed { code: "beauty-massage", name: "按摩/足疗技师", parent: Some("beauty") },
    TermSeed { code: "beauty-makeup", name: "化妆师", parent: Some("beauty") },
    TermSeed { code: "beauty-consultant", name: "美容顾问", parent: Some("beauty") },
    TermSeed { code: "marketing", name: "市场/运营/新媒体", parent: None },
    TermSeed { code: "marketing-specialist", name: "市场专员", parent: Some("marketing") },
    TermSeed { code: "marketing-events", name: "活动策划", parent: Some("marketing") },
    TermSeed { code: "marketing-new-media", name: "新媒体运营", parent: Some("marketing") },
    TermSeed { code: "marketing-livestream", name: "主播/直播运营", parent: Some("marketing") },
    TermSeed { code: "marketing-ecommerce", name: "电商运营", parent: Some("marketing") },
    TermSeed { code: "marketing-copywriter", name: "文案编辑", parent: Some("marketing") },
    TermSeed { code: "marketing-designer", name: "平面设计", parent: Some("marketing") },
    TermSeed { code: "marketing-video", name: "短视频拍摄/剪辑", parent: Some("marketing") },
    TermSeed { code: "worker", name: "普工/技工", parent: None },
    TermSeed { code: "worker-general", name: "普工/操作工", parent: Some("worker") },
    TermSeed { code: "worker-assembler", name: "装配工", parent: Some("worker") },
    TermSeed { code: "worker-packer", name: "包装工", parent: Some("worker") },
    TermSeed { code: "worker-electrician", name: "电工", parent: Some("worker") },
    TermSeed { code: "worker-welder", name: "焊工", parent: Some("worker") },
    TermSeed { code: "worker-cnc", name: "数控/车铣工", parent: Some("worker") },
    TermSeed { code: "worker-auto-mechanic", name: "汽修工", parent: Some("worker") },
    TermSeed { code: "worker-apprentice", name: "学徒工", parent: Some("worker") },
];

/// Minimum education a job asks for, in ascending order.
pub static EDUCATION_LEVELS: &[TermSeed] = &[
    TermSeed { code: "any", name: "不限", parent: None },
    TermSeed { code: "junior-high", name: "初中及以下", parent: None },
    TermSeed { code: "senior-high", name: "高中/中专/中技", parent: None },
    TermSeed { code: "college", name: "大专", parent: None },
    TermSeed { code: "bachelor", name: "本科", parent: None },
    TermSeed { code: "master", name: "硕士", parent: None },
    TermSeed { code: "doctor", name: "博士", parent: None },
];

/// Work experience a job asks for, in ascending order.
pub static EXPERIENCE_LEVELS: &[TermSeed] = &[
    TermSeed { code: "any", name: "不限", parent: None },
    TermSeed { code: "graduate", name: "应届毕业生", parent: None },
    TermSeed { code: "lt-1", name: "1年以下", parent: None },
    TermSeed { code: "1-3", name: "1-3年", parent: None },
    TermSeed { code: "3-5", name: "3-5年", parent: None },
    TermSeed { code: "5-10", name: "5-10年", parent: None },
    TermSeed { code: "gt-10", name: "10年以上", parent: None },
];

/// Kinds of employment.
pub static JOB_TYPES: &[TermSeed] = &[
    TermSeed { code: "full-time", name: "全职", parent: None },
    TermSeed { code: "part-time", name: "兼职", parent: None },
    TermSeed { code: "internship", name: "实习", parent: None },
    TermSeed { code: "temporary", name: "临时/小时工", parent: None },
];

/// Monthly salary bands in CNY, in ascending order after 面议 (negotiable).
pub static SALARY_BANDS: &[TermSeed] = &[
    TermSeed { code: "negotiable", name: "面议", parent: None },
    TermSeed { code: "lt-3k", name: "3000以下", parent: None },
    TermSeed { code: "3k-5k", name: "3000-5000", parent: None },
    TermSeed { code: "5k-8k", name: "5000-8000", parent: None },
    TermSeed { code: "8k-12k", name: "8000-12000", parent: None },
    TermSeed { code: "12k-20k", name: "12000-20000", parent: None },
    TermSeed { code: "gt-20k", name: "20000以上", parent: None },
];

/// Benefits an employer can tag a job with.
pub static BENEFIT_TAGS: &[TermSeed] = &[
    TermSeed { code: "social-insurance", name: "五险一金", parent: None },
    TermSeed { code: "meals", name: "包吃", parent: None },
    TermSeed { code: "housing", name: "包住", parent: None },
    TermSeed { code: "weekends-off", name: "双休", parent: None },
    TermSeed { code: "year-end-bonus", name: "年终奖", parent: None },
    TermSeed { code: "paid-leave", name: "带薪年假", parent: None },
    TermSeed { code: "holiday-gifts", name: "节日福利", parent: None },
    TermSeed { code: "transport-allowance", name: "交通补贴", parent: None },
    TermSeed { code: "meal-allowance", name: "餐补", parent: None },
    TermSeed { code: "phone-allowance", name: "话补", parent: None },
    TermSeed { code: "overtime-pay", name: "加班补助", parent: None },
    TermSeed { code: "health-checkup", name: "定期体检", parent: None },
    TermSeed { code: "team-travel", name: "员工旅游", parent: None },
    TermSeed { code: "performance-bonus", name: "绩效奖金", parent: None },
    TermSeed { code: "flexible-hours", name: "弹性工作", parent: None },
    TermSeed { code: "free-training", name: "免费培训", parent: None },
    TermSeed { code: "housing-allowance", name: "住房补贴", parent: None },
    TermSeed { code: "attendance-bonus", name: "全勤奖", parent: None },
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// `^[a-z0-9]+(-[a-z0-9]+)*$` without a regex engine.
    fn is_valid_code(code: &str) -> bool {
        code.split('-')
            .all(|part| !part.is_empty() && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
    }

    fn assert_codes(list: &str, codes: impl Iterator<Item = &'static str>) {
        let mut seen = HashSet::new();
        for code in codes {
            assert!(is_valid_code(code), "{list}: malformed code {code:?}");
            assert!(seen.insert(code), "{list}: duplicate code {code:?}");
        }
    }

    fn term_lists() -> [(&'static str, &'static [TermSeed]); 7] {
        [
            ("INDUSTRIES", INDUSTRIES),
            ("JOB_CATEGORIES", JOB_CATEGORIES),
            ("EDUCATION_LEVELS", EDUCATION_LEVELS),
            ("EXPERIENCE_LEVELS", EXPERIENCE_LEVELS),
            ("JOB_TYPES", JOB_TYPES),
            ("SALARY_BANDS", SALARY_BANDS),
            ("BENEFIT_TAGS", BENEFIT_TAGS),
        ]
    }

    #[test]
    fn code_checker_matches_the_pattern() {
        for good in ["a", "wz-gaosuntang", "1-3", "lt-3k", "gt-10"] {
            assert!(is_valid_code(good), "{good:?} should be valid");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a_b", "a b", "高"] {
            assert!(!is_valid_code(bad), "{bad:?} should be invalid");
        }
    }

    #[test]
    fn codes_are_unique_and_well_formed() {
        assert_codes("WANZHOU_DISTRICTS", WANZHOU_DISTRICTS.iter().map(|d| d.code));
        for (list, terms) in term_lists() {
            assert!(!terms.is_empty(), "{list} is empty");
            assert_codes(list, terms.iter().map(|t| t.code));
            for term in terms {
                assert!(!term.name.is_empty(), "{list}: {} has no name", term.code);
            }
        }
    }

    #[test]
    fn only_job_categories_have_parents() {
        for (list, terms) in term_lists() {
            if list == "JOB_CATEGORIES" {
                continue;
            }
            for term in terms {
                assert!(term.parent.is_none(), "{list}: {} should be top-level", term.code);
            }
        }
    }

    #[test]
    fn job_category_children_hang_under_a_top_level_parent() {
        for term in JOB_CATEGORIES {
            let Some(parent) = term.parent else { continue };
            let found = JOB_CATEGORIES
                .iter()
                .find(|t| t.code == parent)
                .unwrap_or_else(|| panic!("{}: parent {parent:?} does not exist", term.code));
            assert!(found.parent.is_none(), "{}: parent {parent:?} is not top-level", term.code);
            assert!(term.code.starts_with(&format!("{parent}-")), "{}: code should start with {parent:?}", term.code);
        }
    }

    #[test]
    fn job_categories_list_each_parent_followed_by_its_children() {
        let mut current: Option<&str> = None;
        let mut children = 0;
        let mut tops = 0;
        for term in JOB_CATEGORIES {
            match term.parent {
                None => {
                    if let Some(top) = current {
                        assert!((4..=8).contains(&children), "{top} has {children} children");
                    }
                    current = Some(term.code);
                    children = 0;
                    tops += 1;
                }
                Some(parent) => {
                    assert_eq!(Some(parent), current, "{} is not listed under its parent", term.code);
                    children += 1;
                }
            }
        }
        assert!((4..=8).contains(&children), "{current:?} has {children} children");
        assert!(tops >= 10, "only {tops} top-level job categories");
    }

    #[test]
    fn districts_lie_in_the_station_and_are_named_after_their_kind() {
        assert!(WANZHOU_DISTRICTS.len() >= 40, "only {} districts", WANZHOU_DISTRICTS.len());
        for d in WANZHOU_DISTRICTS {
            assert!((30.40..=31.07).contains(&d.lat), "{}: latitude {} outside the station", d.code, d.lat);
            assert!((107.87..=108.90).contains(&d.lng), "{}: longitude {} outside the station", d.code, d.lng);
            assert!(!d.name.is_empty(), "{} has no name", d.code);
            assert!(
                d.name.ends_with("街道") || d.name.ends_with("镇") || d.name.ends_with("乡"),
                "{}: {:?} is not a street, town or township name",
                d.code,
                d.name
            );
            let suffix = match d.kind {
                PlaceKind::Street => "街道",
                PlaceKind::Town => "镇",
                PlaceKind::Township => "乡",
            };
            assert!(d.name.ends_with(suffix), "{}: {:?} does not match its kind {:?}", d.code, d.name, d.kind);
            assert!(d.code.starts_with("wz-"), "{}: district codes start with wz-", d.code);
        }
    }

    #[test]
    fn districts_list_streets_then_towns_then_townships() {
        let rank = |kind: PlaceKind| match kind {
            PlaceKind::Street => 0,
            PlaceKind::Town => 1,
            PlaceKind::Township => 2,
        };
        for pair in WANZHOU_DISTRICTS.windows(2) {
            assert!(rank(pair[0].kind) <= rank(pair[1].kind), "{} is listed after {}", pair[1].code, pair[0].code);
        }
    }

    #[test]
    fn district_centres_are_distinct() {
        for (i, a) in WANZHOU_DISTRICTS.iter().enumerate() {
            for b in &WANZHOU_DISTRICTS[i + 1..] {
                assert!(a.lat != b.lat || a.lng != b.lng, "{} and {} share a centre", a.code, b.code);
            }
        }
    }
}
