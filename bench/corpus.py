"""Chinese news copy for the benchmark, with the statistics of real reporting.

Most sentences come from a word-bigram model of real news (bench.language: the People's
Daily of January 1998), so words and characters occur as often as they do in an archive:
a common word in some per cent of articles, most phrases in few. The rest
(``TEMPLATE_SHARE`` of the sentences and of the titles) are drawn from templates whose
slots take a city portal's places, institutions, policies and figures, for its mix of
digits and Latin (G60, 5G, 2026年, 3.5%). Nothing here is real news, and the output
depends only on the seed, so two runs with the same seed write the same data set.
"""

import random
from dataclasses import dataclass

from .language import Language

# The search scenario looks for this word; the vocabulary uses it often, as portals do.
SEARCH_WORD = "文明"
TEMPLATE_SHARE = 0.03  # sentences and titles from the templates below (about one an article)

PLACES = [
    "上海", "浦东新区", "临港新片区", "徐汇区", "静安区", "黄浦区", "长宁区", "普陀区",
    "虹口区", "杨浦区", "闵行区", "宝山区", "嘉定区", "金山区", "松江区", "青浦区",
    "奉贤区", "崇明区", "长三角", "虹桥国际中央商务区", "张江科学城", "陆家嘴", "北外滩",
    "五个新城", "苏州工业园区", "杭州", "南京", "合肥", "宁波", "无锡", "漕河泾开发区",
    "外高桥保税区", "大零号湾", "西岸", "南京路步行街",
]  # fmt: skip

SUBJECTS = [
    "市政府", "市发展改革委", "市经济信息化委", "市商务委", "市住房城乡建设管理委",
    "市交通委", "市教委", "市卫生健康委", "市文化旅游局", "市生态环境局", "市统计局",
    "市科委", "市人力资源社会保障局", "区政府", "管委会", "人民银行上海总部",
    "上海证券交易所", "上海期货交易所", "多家商业银行", "券商分析师", "业内人士",
    "专家学者", "行业协会", "龙头企业", "中小企业", "外资企业", "科创板公司",
    "新能源车企", "芯片设计企业", "生物医药企业", "街道社区", "志愿服务队", "市文明办",
    "物业公司", "快递企业", "电商平台", "高校科研团队", "产业园区", "基金公司",
]  # fmt: skip

VERBS = [
    "发布了", "出台了", "召开了", "启动了", "推出了", "印发了", "完成了", "签署了",
    "披露了", "公布了", "部署了", "举办了", "落地了", "上线了", "通过了", "试行了",
]  # fmt: skip

OBJECTS = [
    "城市更新行动方案", "优化营商环境若干措施", "新能源汽车产业发展规划",
    "集成电路产业扶持政策", "人工智能创新应用场景清单", "数字经济发展报告",
    "绿色低碳转型实施意见", "老旧小区加装电梯计划", "15分钟社区生活圈建设方案",
    "文明城区创建工作", "精神文明建设成果展", "一季度经济运行数据", "消费品以旧换新细则",
    "跨境贸易便利化举措", "科技创新专项资金", "人才引进新政", "普惠金融服务方案",
    "社区养老服务体系", "轨道交通建设计划", "长三角一体化合作项目", "G60科创走廊建设方案",
    "5G网络覆盖工程", "智能网联汽车测试示范区", "生物医药产业园规划", "低空经济发展方案",
    "数据要素市场建设方案", "夜间经济活动季", "首发经济支持政策", "垃圾分类实施成效",
    "防汛防台应急预案", "保障性租赁住房供应计划", "义务教育招生政策", "医保便民服务措施",
    "公共文化服务清单", "文明出行倡议", "AI大模型备案名单", "绿色金融改革试点方案",
    "外资研发中心认定办法", "专精特新企业培育计划", "国际消费中心城市建设方案",
    "一江一河滨水空间开放计划", "新型储能产业行动计划", "工业互联网平台项目",
    "科创板上市公司年报", "住房公积金缴存政策", "市民健身活动季", "文明实践站点建设",
]  # fmt: skip

VERBS_AHEAD = ["加大", "推动", "完善", "强化", "优化", "深化", "加快", "扩大", "提升", "做好"]

OBJECTS_AHEAD = [
    "政策支持力度", "产业链协同", "公共服务供给", "市场监管", "科技成果转化",
    "基础设施建设", "营商环境建设", "风险防控", "数字化转型", "高水平对外开放",
    "区域协调发展", "民生保障", "新时代文明实践", "人才服务", "金融服务实体经济",
    "绿色低碳发展", "社区治理", "消费环境建设", "城市精细化管理", "应急管理能力",
]  # fmt: skip

GOALS = [
    "经济高质量发展", "城市治理现代化", "产业转型升级", "文明城市建设迈上新台阶",
    "新质生产力加快形成", "市民获得感持续提升", "国际金融中心能级提升",
    "长三角一体化向纵深推进", "营商环境持续优化", "城市软实力不断增强",
]  # fmt: skip

TIMES = [
    "近日", "日前", "今年以来", "上半年", "前三季度", "本周", "上月底", "记者昨天获悉",
    "新年伊始", "进入四月以来", "入夏以来", "国庆长假期间", "春节前夕", "年内",
]  # fmt: skip

PHASES = ["试点", "全面推广", "收尾", "实施", "验收", "招标", "公示", "试运行"]

PEOPLE = [
    "一位市民", "一位企业负责人", "受访专家", "社区干部", "一位外卖骑手", "一位退休教师",
    "项目负责人", "一位年轻创业者", "一位证券分析师", "一位老街坊",
]  # fmt: skip

SCENES = [
    "工人们正在抓紧施工", "不少市民前来咨询", "新开业的商场人头攒动", "智能机器人正在调试",
    "志愿者在路口引导文明出行", "展厅里挤满了前来参观的观众", "生产线满负荷运转",
    "夜市摊位前排起了长队", "社区食堂飘出饭菜香", "测试车辆在示范区道路上穿行",
    "滨江步道上散步的人络绎不绝", "孩子们在新建的口袋公园里嬉戏",
]  # fmt: skip

RESULTS = [
    "取得新进展", "成效显著", "迎来新机遇", "按下快进键", "再上新台阶", "全面提速",
    "持续升温", "落地见效", "跑出加速度", "释放新活力",
]  # fmt: skip

SOURCES = [
    "本网", "新华社", "解放日报", "文汇报", "新民晚报", "中国证券报", "第一财经", "澎湃新闻",
    "上海发布", "经济日报",
]  # fmt: skip

TAGS = [
    # places
    "上海", "浦东", "临港", "徐汇", "静安", "黄浦", "长宁", "普陀", "虹口", "杨浦", "闵行",
    "宝山", "嘉定", "金山", "松江", "青浦", "奉贤", "崇明", "长三角", "虹桥", "张江",
    "陆家嘴", "北外滩", "五个新城", "苏州", "杭州", "南京", "合肥", "宁波", "无锡",
    # the city and its people
    "城市更新", "旧区改造", "保障房", "租赁住房", "加装电梯", "物业管理", "垃圾分类",
    "社区治理", "养老服务", "托育服务", "义务教育", "高考", "中考", "职业教育", "高校",
    "医保", "公共卫生", "健康上海", "全民健身", "马拉松", "文明城区", "文明出行",
    "志愿服务", "新时代文明实践", "公共文化", "博物馆", "演艺", "文旅", "夜间经济",
    "旅游", "交通", "地铁", "公交", "机场", "铁路", "停车", "防汛", "防台", "天气",
    "生态环境", "一江一河", "口袋公园", "绿道", "碳达峰", "碳中和", "新能源",
    "光伏", "储能", "氢能", "节能减排", "食品安全", "消费维权", "就业", "社保",
    "人才", "落户", "公积金", "民生实事", "政务服务", "一网通办", "一网统管",
    # economy and markets
    "宏观经济", "GDP", "CPI", "PPI", "外贸", "进出口", "消费", "以旧换新", "首发经济",
    "国际消费中心城市", "商圈", "电商", "直播带货", "跨境电商", "自贸区", "进博会",
    "营商环境", "民营经济", "外资", "国企改革", "专精特新", "独角兽", "科创板",
    "A股", "港股", "债券", "基金", "理财", "银行", "保险", "券商", "期货", "黄金",
    "汇率", "人民币", "利率", "LPR", "房贷", "楼市", "土地市场", "REITs", "绿色金融",
    "普惠金融", "数字人民币", "金融科技", "风险防范", "上市公司", "财报", "IPO",
    "并购重组", "分红", "ETF", "国际金融中心", "央行", "货币政策", "财政政策",
    # industry and technology
    "人工智能", "AI大模型", "算力", "数据要素", "数字经济", "工业互联网", "5G",
    "6G", "集成电路", "芯片", "半导体", "生物医药", "创新药", "医疗器械", "新能源汽车",
    "智能网联汽车", "自动驾驶", "动力电池", "低空经济", "无人机", "商业航天", "大飞机",
    "船舶", "高端装备", "机器人", "智能制造", "新材料", "G60科创走廊", "元宇宙",
    "区块链", "量子计算", "卫星互联网", "物联网", "网络安全", "软件", "游戏",
    "新消费", "新零售", "老字号", "国潮", "预制菜", "咖啡", "茶饮", "快递", "物流",
    "航运", "港口", "会展", "总部经济", "产业园区", "招商引资", "科技成果转化",
]  # fmt: skip

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建文玲晨浩宇欣怡子涵梓轩雨萱"

COMMENTS = [
    "支持！希望早日落地。", "家门口的变化看得见，点赞。", "说得很有道理。",
    "这个政策对我们小企业很实用。", "希望配套措施能跟上。", "期待后续报道。",
    "文明城市需要每个人的参与。", "交通问题确实要好好解决。", "数据很详实，学习了。",
    "老小区加装电梯真是民心工程。", "周末带孩子去看看。", "建议多听听居民的意见。",
    "股市有风险，投资需谨慎。", "什么时候能在我们区推广？", "写得很清楚，谢谢小编。",
]  # fmt: skip


@dataclass
class Article:
    title: str
    body: str
    tags: list[str]
    source: str
    publish_offset: float  # seconds before now
    views: int
    is_featured: bool
    category_index: int


class Writer:
    """Random but plausible copy; everything is drawn from ``self.rng``, seeded."""

    def __init__(self, seed: int = 2026, sentence_pool_size: int = 20000, modelled: bool = True):
        self.rng = random.Random(seed)
        # Template sentences come from a pool made once (their vocabulary is small anyway);
        # modelled ones are made afresh, so no long phrase repeats across the archive.
        self.sentences = [self.sentence() for _ in range(sentence_pool_size)]
        self.language = Language.shared() if modelled else None

    def news_sentence(self) -> str:
        """A sentence of the body: modelled on real news, or now and then a template one."""
        if self.language is None or self.rng.random() < TEMPLATE_SHARE:
            return self.pick(self.sentences)
        return self.language.sentence(self.rng)

    # Slots -----------------------------------------------------------------------------

    def pick(self, words):
        return self.rng.choice(words)

    def year(self) -> int:
        return self.rng.randint(2023, 2027)

    def date(self) -> str:
        r = self.rng
        return f"{self.year()}年{r.randint(1, 12)}月{r.randint(1, 28)}日"

    def when(self) -> str:
        return self.date() if self.rng.random() < 0.25 else self.pick(TIMES)

    def percent(self) -> str:
        return f"{self.rng.uniform(0.3, 38):.1f}%"

    def stat(self) -> str:
        r = self.rng
        choices = [
            lambda: f"全年实现营业收入{r.randint(3, 980)}亿元，同比增长{self.percent()}",
            lambda: f"累计完成投资{r.randint(12, 2600)}亿元",
            lambda: f"新增就业岗位{r.randint(1, 60)}.{r.randint(1, 9)}万个",
            lambda: (
                f"{self.year()}年前{r.randint(2, 11)}个月，规模以上工业总产值同比增长"
                f"{self.percent()}"
            ),
            lambda: f"社会消费品零售总额达到{r.randint(800, 16000)}亿元",
            lambda: f"已建成5G基站{r.randint(2, 9)}.{r.randint(1, 9)}万个",
            lambda: f"共有{r.randint(12, 3800)}家企业参与",
            lambda: f"接待游客{r.randint(10, 2000)}万人次",
            lambda: f"市场成交量环比上升{self.percent()}",
            lambda: (
                f"沪指收报{r.randint(2800, 3900)}.{r.randint(10, 99)}点，"
                f"涨幅{r.uniform(0.01, 2.5):.2f}%"
            ),
            lambda: f"研发投入强度达到{r.uniform(2.1, 4.9):.2f}%",
            lambda: f"外贸进出口总额{r.randint(1, 4)}.{r.randint(1, 9)}万亿元",
        ]
        return self.pick(choices)()

    def clause(self) -> str:
        r = self.rng
        forms = [
            lambda: f"{self.pick(SUBJECTS)}将进一步{self.ahead()}",
            lambda: f"{self.pick(OBJECTS)}将在{self.pick(PLACES)}率先{self.pick(PHASES)}",
            lambda: f"{self.pick(OBJECTS_AHEAD)}是推动{self.pick(GOALS)}的关键",
            lambda: f"{self.pick(PLACES)}的{self.pick(OBJECTS_AHEAD)}仍有较大提升空间",
            lambda: f"预计到{self.year()}年底，{self.stat()}",
            lambda: f"要把{self.pick(OBJECTS_AHEAD)}和{self.pick(OBJECTS_AHEAD)}结合起来",
            lambda: f"第{r.randint(2, 9)}批项目已有{r.randint(10, 90)}个完成签约",
        ]
        return self.pick(forms)()

    def ahead(self) -> str:
        return self.pick(VERBS_AHEAD) + self.pick(OBJECTS_AHEAD)

    # Sentences, titles, articles -----------------------------------------------------

    def sentence(self) -> str:
        r = self.rng
        forms = [
            lambda: (
                f"{self.when()}，{self.pick(SUBJECTS)}{self.pick(VERBS)}"
                f"《{self.pick(OBJECTS)}》，{self.stat()}。"
            ),
            lambda: f"{self.when()}，{self.pick(PLACES)}{self.pick(VERBS)}{self.pick(OBJECTS)}。",
            lambda: f"{self.pick(SUBJECTS)}相关负责人表示，{self.clause()}。",
            lambda: f"据介绍，{self.stat()}，{self.clause()}。",
            lambda: f"{self.stat()}，比去年同期提高{r.randint(1, 9)}个百分点。",
            lambda: f"业内人士认为，{self.clause()}，{self.clause()}。",
            lambda: (
                f"记者从{self.pick(SUBJECTS)}获悉，{self.pick(PLACES)}"
                f"{self.pick(OBJECTS)}已进入{self.pick(PHASES)}阶段。"
            ),
            lambda: f"“{self.clause()}，”{self.pick(PEOPLE)}说，“{self.clause()}。”",
            lambda: f"在{self.pick(PLACES)}，{self.pick(SCENES)}。",
            lambda: (
                f"下一步，{self.pick(SUBJECTS)}将{self.pick(VERBS_AHEAD)}"
                f"{self.pick(OBJECTS_AHEAD)}，{self.pick(VERBS_AHEAD)}{self.pick(OBJECTS_AHEAD)}，"
                f"推动{self.pick(GOALS)}。"
            ),
        ]
        return self.pick(forms)()

    def title(self) -> str:
        if self.language is not None and self.rng.random() >= TEMPLATE_SHARE:
            return self.modelled_title()
        return self.template_title()

    def modelled_title(self) -> str:
        """The opening of a modelled sentence, 12 to 30 characters, without end punctuation."""
        while True:
            title = self.language.sentence(self.rng)[:30].rstrip("。！？，、；：“”（）《》")
            if len(title) >= 12:
                return title

    def template_title(self) -> str:
        forms = [
            lambda: f"{self.pick(PLACES)}{self.pick(VERBS).rstrip('了')}{self.pick(OBJECTS)}",
            lambda: f"{self.pick(OBJECTS)}{self.pick(RESULTS)}",
            lambda: f"{self.year()}年{self.pick(PLACES)}{self.pick(OBJECTS)}{self.pick(RESULTS)}",
            lambda: f"{self.pick(SUBJECTS)}：{self.pick(OBJECTS_AHEAD)}{self.pick(RESULTS)}",
            lambda: f"{self.pick(PLACES)}{self.stat().split('，')[0]}",
        ]
        while True:
            title = self.pick(forms)()
            if 12 <= len(title) <= 30:
                return title

    def body(self, length: int) -> str:
        """Paragraphs of pooled sentences until ``length`` characters, with an odd subheading."""
        r = self.rng
        paragraphs, size = [], 0
        while size < length:
            sentences = "".join(self.news_sentence() for _ in range(r.randint(2, 6)))
            if paragraphs and r.random() < 0.06:
                heading = f"{self.pick(OBJECTS_AHEAD)}{self.pick(RESULTS)}"
                paragraphs.append(f"<h3>{heading}</h3>")
                size += len(heading)
            paragraphs.append(f"<p>{sentences}</p>")
            size += len(sentences)
        return "".join(paragraphs)

    def article(self, categories: int) -> Article:
        r = self.rng
        return Article(
            title=self.title(),
            body=self.body(r.randint(600, 3000)),
            tags=r.sample(TAGS, r.randint(1, 4)),
            source=self.pick(SOURCES),
            publish_offset=r.uniform(60, 3 * 365 * 86400),
            views=int(r.paretovariate(1.2) * 40) if r.random() < 0.97 else r.randint(0, 5),
            is_featured=r.random() < 0.005,
            category_index=r.randrange(categories),
        )

    def reader_name(self) -> str:
        return self.pick(SURNAMES) + "".join(self.rng.sample(GIVEN, self.rng.randint(1, 2)))

    def comment(self) -> str:
        if self.rng.random() < 0.6:
            return self.pick(COMMENTS)
        return f"{self.pick(COMMENTS)}{self.clause()}。"
