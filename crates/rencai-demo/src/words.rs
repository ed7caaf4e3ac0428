//! Word lists for the deterministic zh-CN demo-data generator. All names and firms are fictional.

/// Common Chinese surnames, single-character first, then a few compound ones.
pub static SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林",
    "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "蒋",
    "蔡", "余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "姚", "卢", "谭", "向", "冉", "牟", "熊", "秦", "欧阳",
    "司马", "上官", "诸葛",
];

/// Characters often used in given names, for both genders.
pub static GIVEN_NAME_CHARS: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞",
    "平", "刚", "桂", "英", "华", "玉", "萍", "红", "玲", "兰", "建", "文", "辉", "力", "鹏", "斌", "宇", "浩", "凯",
    "俊", "帅", "健", "波", "峰", "鑫", "亮", "成", "林", "海", "涵", "欣", "怡", "雪", "婷", "琳", "颖", "倩", "晨",
    "阳", "梅", "莉", "燕", "丹", "慧", "佳", "琪", "雨", "思", "悦", "晓", "东", "飞", "龙", "云", "志", "国", "春",
    "秋", "冬", "宁", "安", "荣", "福", "德", "庆", "祥", "瑞", "博", "轩", "睿", "泽", "然", "子", "诗", "梦", "可",
    "馨", "蕾", "蓉", "嘉", "琴", "彤", "晶", "菲", "露", "媛", "洁", "宏", "兵", "毅", "坤", "旭", "振", "鸿", "昊",
    "晖", "凡", "楠", "航", "远", "婉",
];

/// Fictional company name stems (2–3 characters), many after local place names.
pub static COMPANY_PREFIXES: &[&str] = &[
    "峡江",
    "平湖",
    "天城",
    "万川",
    "渝东",
    "江城",
    "鸿达",
    "恒信",
    "盛鑫",
    "瑞丰",
    "博远",
    "南浦",
    "翠屏",
    "青龙",
    "江南",
    "北山",
    "鑫隆",
    "顺通",
    "佳和",
    "德润",
    "诚达",
    "聚源",
    "丰泰",
    "永兴",
    "泰和",
    "明远",
    "滨江",
    "苎溪",
    "龙宝",
    "铁峰",
    "川东",
    "渝万",
    "金诺",
    "益民",
    "兴渝",
    "三江",
    "和信",
    "百川",
    "源通",
    "天生城",
];

/// Line of business plus legal form, appended to a prefix to make a company name.
pub static COMPANY_SUFFIXES: &[&str] = &[
    "物流有限公司",
    "商贸有限公司",
    "餐饮管理有限公司",
    "科技有限公司",
    "建筑工程有限公司",
    "电子商务有限公司",
    "食品有限公司",
    "机械制造有限公司",
    "教育咨询有限公司",
    "医药连锁有限公司",
    "物业服务有限公司",
    "人力资源有限公司",
    "房地产开发有限公司",
    "装饰工程有限公司",
    "汽车销售服务有限公司",
    "酒店管理有限公司",
    "旅行社有限公司",
    "农业开发有限公司",
    "家政服务有限公司",
    "文化传媒有限公司",
    "船务有限公司",
    "纺织服装有限公司",
    "供应链管理有限公司",
    "超市连锁有限公司",
    "美容美发有限公司",
];

/// Road names for addresses in 万州 (approximate, for demo addresses only).
pub static STREET_NAMES: &[&str] = &[
    "北山大道",
    "太白路",
    "白岩路",
    "沙龙路",
    "江南大道",
    "国本路",
    "万安大道",
    "双河口路",
    "新城路",
    "王牌路",
    "西山路",
    "胜利路",
    "二马路",
    "三马路",
    "环城路",
    "果园路",
    "红星路",
    "电报路",
    "北滨大道",
    "南滨大道",
    "天城大道",
    "龙都大道",
    "百安大道",
    "五桥路",
    "牌楼路",
    "沙河路",
    "观音岩路",
    "经开大道",
    "鹿山路",
    "苎溪路",
];

/// One-sentence self-introductions a job seeker might write, free of names and contact details.
pub static SELF_INTRO_SNIPPETS: &[&str] = &[
    "有五年餐饮后厨经验，擅长川菜和火锅底料炒制，能吃苦，服从安排。",
    "会计专业本科毕业，持有初级会计证，熟练使用财务软件，做事细心踏实。",
    "做过三年超市收银和理货，熟悉门店日常流程，性格开朗，能接受倒班。",
    "持A2驾照，驾龄八年，熟悉万州城区及周边路线，没有不良驾驶记录。",
    "计算机专业应届生，学过Java和MySQL，做过校园项目，希望从开发助理做起。",
    "在电子厂做过两年流水线普工，手脚麻利，能适应夜班，想找离家近的工作。",
    "护理专业大专毕业，有护士执业证，在县医院实习一年，熟悉基础护理操作。",
    "从事房产销售四年，熟悉万州各片区楼盘，沟通能力强，业绩一直比较稳定。",
    "有保洁和家政服务经验，会做家常菜，照顾老人有耐心，可以住家。",
    "做过两年电话客服，普通话标准，能耐心处理客户投诉，打字速度快。",
    "持有电工证和焊工证，在工地干过多年水电安装，能独立看懂施工图纸。",
    "幼师专业毕业，喜欢和小朋友相处，会弹琴和简单舞蹈，有幼儿园带班经历。",
    "在物流公司做过仓库管理员，熟悉出入库和盘点流程，会开叉车。",
    "美发行业从业六年，擅长剪发和烫染造型，希望加入管理规范的门店长期发展。",
    "在读大学生，寒暑假和周末有空，想找兼职积累经验，做事认真守时。",
    "做过一年新媒体运营，负责过公众号和短视频账号，会剪辑和基础设计。",
    "退伍军人，身体素质好，纪律性强，有两年小区保安和巡逻工作经验。",
    "有汽车维修中级证，擅长发动机和底盘故障排查，也做过汽车美容。",
    "行政文员工作三年，熟练使用办公软件，负责过考勤、会议安排和物资采购。",
    "在酒店做过前台接待和客房主管，懂基础英语，服务意识强，能适应轮班。",
];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn lists() -> [(&'static str, &'static [&'static str]); 6] {
        [
            ("SURNAMES", SURNAMES),
            ("GIVEN_NAME_CHARS", GIVEN_NAME_CHARS),
            ("COMPANY_PREFIXES", COMPANY_PREFIXES),
            ("COMPANY_SUFFIXES", COMPANY_SUFFIXES),
            ("STREET_NAMES", STREET_NAMES),
            ("SELF_INTRO_SNIPPETS", SELF_INTRO_SNIPPETS),
        ]
    }

    #[test]
    fn no_list_has_duplicates_or_blanks() {
        for (name, list) in lists() {
            assert!(!list.is_empty(), "{name} is empty");
            let mut seen = HashSet::new();
            for word in list {
                assert!(!word.trim().is_empty(), "{name} has a blank entry");
                assert!(seen.insert(*word), "{name} has {word:?} twice");
            }
        }
    }

    #[test]
    fn there_are_enough_surnames() {
        assert!(SURNAMES.len() >= 60, "only {} surnames", SURNAMES.len());
    }

    #[test]
    fn entries_have_the_expected_shape() {
        for c in GIVEN_NAME_CHARS {
            assert_eq!(c.chars().count(), 1, "{c:?} is not a single character");
        }
        for p in COMPANY_PREFIXES {
            assert!((2..=3).contains(&p.chars().count()), "prefix {p:?} should have 2-3 characters");
        }
        for s in SELF_INTRO_SNIPPETS {
            let n = s.chars().count();
            assert!((20..=50).contains(&n), "snippet {s:?} has {n} characters");
        }
    }
}
