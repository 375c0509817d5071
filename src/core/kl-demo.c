/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Demo workspaces: a portfolio of customers with contacts, agreements, years
 * of seasonal shipments and a diary of activities, all drawn from one GRand
 * seeded by the caller, so the same seed and month give the same workspace. */

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "kl-database-private.h"
#include "kl-demo.h"
#include "kl-customer-store.h"
#include "kl-contact-store.h"
#include "kl-agreement-store.h"
#include "kl-activity-store.h"
#include "kl-claim-store.h"
#include "kl-demo-claims.h"
#include "kl-records.h"
#include "kl-shipment-store.h"

#define SECONDS_PER_DAY 86400
#define N_REGIONS 7

/* Vocabulary of the data. These are record contents, not interface text, so
 * they are not marked for translation. */

typedef struct {
  const char *name;
  const char *cities[7];   /* NULL-terminated */
  double      weight;      /* share of destinations */
} DemoRegion;

static const DemoRegion regions[N_REGIONS] = {
  { "华东", { "上海", "杭州", "南京", "苏州", "宁波", "合肥", NULL }, 30 },
  { "华南", { "广州", "深圳", "东莞", "厦门", "佛山", NULL }, 22 },
  { "华北", { "北京", "天津", "石家庄", "太原", "呼和浩特", NULL }, 16 },
  { "华中", { "武汉", "长沙", "郑州", "南昌", NULL }, 12 },
  { "西南", { "成都", "重庆", "昆明", "贵阳", NULL }, 10 },
  { "西北", { "西安", "兰州", "银川", "乌鲁木齐", NULL }, 4 },
  { "东北", { "沈阳", "大连", "长春", "哈尔滨", NULL }, 6 },
};

/* Days by road between regions, in the order of regions[]. */
static const int road_days[N_REGIONS][N_REGIONS] = {
  { 1, 2, 2, 2, 3, 4, 3 },
  { 2, 1, 3, 2, 3, 4, 4 },
  { 2, 3, 1, 2, 3, 3, 2 },
  { 2, 2, 2, 1, 2, 3, 3 },
  { 3, 3, 3, 2, 1, 2, 4 },
  { 4, 4, 3, 3, 2, 1, 4 },
  { 3, 4, 2, 3, 4, 4, 1 },
};

typedef struct {
  const char *name;          /* the industry as a KAM writes it */
  const char *zh_word;       /* in a Chinese company name */
  const char *en_word;       /* in an English company name */
  double      kg_per_piece;
  double      kg_per_m3;
} DemoIndustry;

static const DemoIndustry industries[] = {
  { "电子",       "电子",     "Electronics",          8, 180 },
  { "快消",       "日化",     "Consumer Goods",      12, 260 },
  { "汽车零部件", "汽车配件", "Auto Parts",          22, 420 },
  { "医药",       "医药",     "Pharma",               6, 150 },
  { "服装",       "服饰",     "Apparel",              5, 120 },
  { "家电",       "电器",     "Home Appliances",     25, 160 },
  { "化工",       "化工",     "Chemicals",           40, 750 },
  { "食品饮料",   "食品",     "Foods",               14, 380 },
  { "机械设备",   "机械",     "Industrial Supplies", 35, 520 },
};

typedef struct {
  const char *name;
  const char *slug;          /* ASCII, for e-mail domains */
} DemoWord;

static const DemoWord zh_trade_names[] = {
  { "华联", "hualian" },   { "鹏程", "pengcheng" }, { "新远", "xinyuan" },
  { "恒达", "hengda" },    { "金桥", "jinqiao" },   { "永信", "yongxin" },
  { "宏图", "hongtu" },    { "天成", "tiancheng" }, { "瑞丰", "ruifeng" },
  { "嘉禾", "jiahe" },     { "东方", "dongfang" },  { "盛世", "shengshi" },
  { "中联", "zhonglian" }, { "凯旋", "kaixuan" },   { "华瑞", "huarui" },
  { "安达", "anda" },      { "远航", "yuanhang" },  { "百川", "baichuan" },
  { "博源", "boyuan" },    { "信诚", "xincheng" },  { "九州", "jiuzhou" },
  { "宝丰", "baofeng" },   { "德润", "derun" },     { "汇通", "huitong" },
  { "海纳", "haina" },     { "长兴", "changxing" }, { "明辉", "minghui" },
  { "立信", "lixin" },     { "佳美", "jiamei" },    { "富源", "fuyuan" },
  { "启航", "qihang" },    { "同创", "tongchuang" },
};

static const DemoWord en_trade_names[] = {
  { "ACME", "acme" },           { "Northwind", "northwind" }, { "Bluefin", "bluefin" },
  { "Evergreen", "evergreen" }, { "Summit", "summit" },       { "Redwood", "redwood" },
  { "Silverline", "silverline" }, { "Harbor", "harbor" },    { "Pioneer", "pioneer" },
  { "Crescent", "crescent" },   { "Keystone", "keystone" },   { "Lakeside", "lakeside" },
  { "Orion", "orion" },         { "Maple Leaf", "mapleleaf" },
};

static const DemoWord surnames[] = {
  { "王", "Wang" }, { "李", "Li" },   { "张", "Zhang" }, { "刘", "Liu" },  { "陈", "Chen" },
  { "杨", "Yang" }, { "赵", "Zhao" }, { "黄", "Huang" }, { "周", "Zhou" }, { "吴", "Wu" },
  { "徐", "Xu" },   { "孙", "Sun" },  { "马", "Ma" },    { "朱", "Zhu" },  { "胡", "Hu" },
  { "郭", "Guo" },  { "何", "He" },   { "林", "Lin" },   { "罗", "Luo" },  { "高", "Gao" },
};

static const DemoWord given_names[] = {
  { "伟", "Wei" },       { "芳", "Fang" },       { "娜", "Na" },        { "敏", "Min" },
  { "静", "Jing" },      { "磊", "Lei" },        { "强", "Qiang" },     { "洋", "Yang" },
  { "艳", "Yan" },       { "杰", "Jie" },        { "涛", "Tao" },       { "明", "Ming" },
  { "超", "Chao" },      { "秀英", "Xiuying" },  { "建华", "Jianhua" }, { "志强", "Zhiqiang" },
  { "海燕", "Haiyan" },  { "晓东", "Xiaodong" }, { "丽娟", "Lijuan" },  { "文博", "Wenbo" },
  { "子涵", "Zihan" },   { "俊杰", "Junjie" },
};

static const char * const english_given_names[] = {
  "David", "Michael", "Grace", "Kevin", "Linda", "Jason", "Cathy", "Peter", "Amy", "Tony",
};

static const char * const account_managers[] = { "张伟", "李娜", "Emily Chen" };
static const double account_manager_weights[] = { 55, 30, 15 };

static const char * const streets[] = {
  "人民路", "建设大道", "解放路", "中山路", "科技园路", "工业大道", "高新三路", "滨江大道",
  "长江路", "物流园一路",
};

static const char * const tag_pool[] = {
  "重点客户", "冷链", "电商", "出口", "季节性", "月结", "VIP", "多仓", "大件", "危险品资质",
};

static const char * const general_notes[] = {
  "每月5日前发送上月服务报告。",
  "旺季需提前两周预约运力。",
  "对账周期为月结60天，财务联系人负责开票。",
  "仓库周日不收货，提货需提前一天预约。",
  "客户重视签收单回传时效。",
};

static const char * const contact_notes[] = {
  "喜欢微信沟通。",
  "每周一上午开例会，避免此时来电。",
  "负责旺季运力协调。",
  "对账与开票的对口人。",
};

static const char * const lost_reasons[] = {
  "价格竞争，业务转给竞争对手",
  "客户自建物流团队",
  "客户业务收缩，关闭华东仓库",
};

typedef struct {
  KlActivityKind kind;
  double         weight;
  const char    *subjects[6];   /* NULL-terminated */
} DemoActivityKind;

static const DemoActivityKind activity_kinds[] = {
  { KL_ACTIVITY_CALL, 30, { "电话沟通上周到货延误原因", "确认春节前发货计划", "回访投诉处理结果",
                            "沟通月度对账差异", "确认下月运力需求", NULL } },
  { KL_ACTIVITY_EMAIL, 25, { "发送月度服务报告", "邮件确认新线路报价", "发送旺季运力方案",
                             "回复单证差错说明", NULL } },
  { KL_ACTIVITY_VISIT, 15, { "季度拜访：回顾服务表现", "拜访物流经理，沟通旺季运力安排",
                             "现场查看仓库与装卸流程", "拜访采购部，介绍新线路", NULL } },
  { KL_ACTIVITY_MEETING, 10, { "季度业务回顾会议（QBR）", "年度合同续签谈判", "服务改进计划评审会",
                               "高层战略沟通会", NULL } },
  { KL_ACTIVITY_SURVEY, 5, { "年度客户满意度调查", "服务质量问卷回访", NULL } },
  { KL_ACTIVITY_LETTER, 5, { "寄送感谢信", "春节慰问信", "服务协议续签函", NULL } },
  { KL_ACTIVITY_TASK, 10, { "准备年度业务回顾材料", "更新服务协议附件", "跟进货损理赔资料",
                            "整理投诉整改报告", "核对本月运费账单", NULL } },
};

static const char * const follow_up_notes[] = {
  "客户要求本周内书面回复。",
  "需同步给运营部门并确认整改时间。",
  "待客户确认后更新报价。",
  "下次拜访时带上改进数据。",
};

/* Spring Festival (lunar new year's day), 2020–2030. */
static const struct { int year, month, day; } spring_festivals[] = {
  { 2020, 1, 25 }, { 2021, 2, 12 }, { 2022, 2, 1 },  { 2023, 1, 22 },
  { 2024, 2, 10 }, { 2025, 1, 29 }, { 2026, 2, 17 }, { 2027, 2, 6 },
  { 2028, 1, 26 }, { 2029, 2, 13 }, { 2030, 2, 3 },
};

/* Volume by calendar month: the autumn peak (and 11.11) above the year. */
static const double month_factor[12] = {
  1.00, 0.95, 0.95, 1.00, 1.00, 1.05, 0.95, 0.98, 1.22, 1.28, 1.38, 1.10,
};

/* Monday … Sunday; their mean keeps a month's volume at its base. */
static const double weekday_factor[7] = { 1.0, 1.0, 1.0, 1.0, 1.0, 0.55, 0.25 };
#define WEEKDAY_MEAN ((5.0 + 0.55 + 0.25) / 7.0)

/* Accounts */

typedef enum {
  ROLE_NORMAL,
  ROLE_FALLING,    /* volume falling over the last year */
  ROLE_LATE,       /* misses its on-time targets */
  ROLE_DAMAGE,     /* misses its damage, shortage and incident targets */
  ROLE_DOCS,       /* misses its document and order accuracy targets */
  ROLE_LOST,
  ROLE_PROSPECT,
} DemoRole;

typedef enum {
  SIZE_SMALL,
  SIZE_MEDIUM,
  SIZE_BIG,
} DemoSize;

typedef struct {
  guint32 from;      /* Julian days, inclusive */
  guint32 to;        /* G_MAXUINT32 when open-ended */
  int     dispatch_grace;
  int     delivery_grace;
} DemoTerm;

typedef struct {
  int    origin_region, origin_city;
  int    dest_region, dest_city;
  double weight;
} DemoLane;

typedef struct {
  KlCustomer *customer;
  DemoRole    role;
  DemoSize    size;
  int         industry;
  int         region;
  int         city;
  const char *slug;
  gboolean    english;
  double      base;           /* shipments a month at the end of the range */
  double      growth;         /* a year */
  double      p_late_dispatch;
  double      p_late_arrival;
  double      p_docs_ok;
  double      p_order_ok;
  double      p_damage;
  double      p_short;
  double      p_incident;
  guint32     lost_day;       /* Julian day; 0 when not lost */
  DemoTerm    terms[2];
  guint       n_terms;
  DemoLane    lanes[8];
  guint       n_lanes;
  double      lane_total;
  GPtrArray  *contact_ids;
} DemoAccount;

typedef struct {
  KlDatabase          *db;
  GRand               *rand;
  GTimeZone           *tz;
  int                  last_month;
  guint32              first_day;   /* Julian day of the first day of the range */
  guint32              end_day;     /* the day after the last day of the range */
  gint64               cutoff;      /* local midnight starting end_day */
  guint32              waybill_seq;
  DemoAccount         *accounts;
  guint                n_accounts;
  KlDemoProgressFunc   progress;
  gpointer             progress_data;
  GCancellable        *cancellable;
  double               work_total;
  double               work_done;
  double               last_reported;
} DemoRun;

/* Random draws */

static double
rand_uniform (GRand  *rand,
              double  lo,
              double  hi)
{
  return g_rand_double_range (rand, lo, hi);
}

static int
rand_int (GRand *rand,
          int    lo,
          int    hi)   /* inclusive */
{
  return g_rand_int_range (rand, lo, hi + 1);
}

static gboolean
rand_chance (GRand  *rand,
             double  p)
{
  return g_rand_double (rand) < p;
}

static double
rand_exponential (GRand  *rand,
                  double  mean)
{
  return -mean * log (1.0 - g_rand_double (rand));
}

static double
rand_gauss (GRand *rand)
{
  double u1 = 1.0 - g_rand_double (rand);
  double u2 = g_rand_double (rand);

  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

static guint
rand_poisson (GRand  *rand,
              double  lambda)
{
  if (lambda <= 0.0)
    return 0;
  if (lambda < 30.0)
    {
      double limit = exp (-lambda), p = 1.0;
      guint k = 0;

      do
        {
          k++;
          p *= g_rand_double (rand);
        }
      while (p > limit);
      return k - 1;
    }
  return (guint) MAX (0.0, round (lambda + sqrt (lambda) * rand_gauss (rand)));
}

static guint
rand_weighted (GRand        *rand,
               const double *weights,
               guint         n)
{
  double total = 0.0, x;

  for (guint i = 0; i < n; i++)
    total += weights[i];
  x = g_rand_double (rand) * total;
  for (guint i = 0; i < n; i++)
    {
      if (x < weights[i])
        return i;
      x -= weights[i];
    }
  return n - 1;
}

static void
rand_shuffle (GRand *rand,
              guint *items,
              guint  n)
{
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      guint t = items[i - 1];

      items[i - 1] = items[j];
      items[j] = t;
    }
}

/* A version 4 UUID from the seeded generator, so ids repeat with the seed. */
static char *
rand_uuid (GRand *rand)
{
  guint32 w[4];

  for (guint i = 0; i < 4; i++)
    w[i] = g_rand_int (rand);
  w[1] = (w[1] & 0xffff0fffu) | 0x00004000u;
  w[2] = (w[2] & 0x3fffffffu) | 0x80000000u;
  return g_strdup_printf ("%08x-%04x-%04x-%04x-%04x%08x",
                          w[0], w[1] >> 16, w[1] & 0xffffu, w[2] >> 16, w[2] & 0xffffu, w[3]);
}

static guint
n_cities (int region)
{
  guint n = 0;

  while (n < G_N_ELEMENTS (regions[region].cities) && regions[region].cities[n] != NULL)
    n++;
  return n;
}

static int
rand_region (GRand *rand)
{
  double weights[N_REGIONS];

  for (guint i = 0; i < N_REGIONS; i++)
    weights[i] = regions[i].weight;
  return (int) rand_weighted (rand, weights, N_REGIONS);
}

/* Calendar */

static guint32
julian_day (int year,
            int month,
            int day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  return g_date_get_julian (&date);
}

static void
julian_to_dmy (guint32  jd,
               int     *year,
               int     *month,
               int     *day)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, jd);
  *year = g_date_get_year (&date);
  *month = g_date_get_month (&date);
  *day = g_date_get_day (&date);
}

static char *
julian_to_string (guint32 jd)
{
  int y, m, d;

  julian_to_dmy (jd, &y, &m, &d);
  return g_strdup_printf ("%04d-%02d-%02d", y, m, d);
}

/* Monday = 0 … Sunday = 6 */
static int
julian_weekday (guint32 jd)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_julian (&date, jd);
  return (int) g_date_get_weekday (&date) - 1;
}

static gint64
local_midnight (DemoRun *run,
                guint32  jd)
{
  g_autoptr(GDateTime) dt = NULL;
  int y, m, d;

  julian_to_dmy (jd, &y, &m, &d);
  dt = g_date_time_new (run->tz, y, m, d, 0, 0, 0);
  return dt != NULL ? g_date_time_to_unix (dt) : 0;
}

/* The first day of the month `months` after (or before) yyyymm. */
static guint32
month_start (int yyyymm,
             int months)
{
  int index = (yyyymm / 100) * 12 + (yyyymm % 100 - 1) + months;

  return julian_day (index / 12, index % 12 + 1, 1);
}

static double
spring_festival_factor (guint32 jd)
{
  int y, m, d;

  julian_to_dmy (jd, &y, &m, &d);
  for (guint i = 0; i < G_N_ELEMENTS (spring_festivals); i++)
    {
      gint64 offset;

      /* The festival of this year or of the next (for late December). */
      if (spring_festivals[i].year != y && spring_festivals[i].year != y + 1)
        continue;
      offset = (gint64) jd - julian_day (spring_festivals[i].year, spring_festivals[i].month,
                                         spring_festivals[i].day);
      if (offset >= -21 && offset <= -8)
        return 1.35;   /* stocking up before the holiday */
      if (offset >= -7 && offset <= -2)
        return 1.10;
      if (offset >= -1 && offset <= 6)
        return 0.15;   /* the holiday itself */
      if (offset >= 7 && offset <= 13)
        return 0.60;
      if (offset >= 14 && offset <= 20)
        return 0.90;
    }
  return 1.0;
}

/* Expected shipments of an account on a day. */
static double
day_lambda (DemoRun     *run,
            DemoAccount *a,
            guint32      jd)
{
  double months_to_end = (double) (run->end_day - jd) / 30.44;
  double trend = pow (1.0 + a->growth, -months_to_end / 12.0);
  int y, m, d;

  if (a->role == ROLE_PROSPECT)
    return 0.0;
  if (a->role == ROLE_FALLING && months_to_end < 12.0)
    trend *= 0.35 + 0.65 * (months_to_end / 12.0);
  if (a->lost_day != 0)
    {
      if (jd >= a->lost_day)
        return 0.0;
      if (a->lost_day - jd < 120)
        trend *= 0.45 + 0.55 * (double) (a->lost_day - jd) / 120.0;
    }

  julian_to_dmy (jd, &y, &m, &d);
  return a->base * 12.0 / 365.25 * month_factor[m - 1] * spring_festival_factor (jd) *
         weekday_factor[julian_weekday (jd)] / WEEKDAY_MEAN * trend;
}

/* Building the accounts */

static char **
make_tags (GRand       *rand,
           DemoAccount *a)
{
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func (g_free);
  guint order[G_N_ELEMENTS (tag_pool)];
  guint n = (guint) rand_int (rand, 0, 2);

  if (a->size == SIZE_BIG)
    g_ptr_array_add (tags, g_strdup ("重点客户"));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    order[i] = i;
  rand_shuffle (rand, order, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order) && n > 0; i++)
    {
      const char *tag = tag_pool[order[i]];

      if (g_strcmp0 (tag, "重点客户") == 0)
        continue;
      g_ptr_array_add (tags, g_strdup (tag));
      n--;
    }
  if (a->role == ROLE_FALLING)
    g_ptr_array_add (tags, g_strdup ("量降预警"));
  g_ptr_array_add (tags, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&tags), FALSE);
}

static void
make_names (DemoRun     *run,
            DemoAccount *a,
            guint        index,
            guint       *zh_next,
            const guint *zh_order,
            guint       *en_next,
            const guint *en_order)
{
  KlCustomer *c = a->customer;
  const DemoIndustry *ind = &industries[a->industry];
  const char *city = regions[a->region].cities[a->city];
  gboolean can_english = *en_next < G_N_ELEMENTS (en_trade_names);
  gboolean can_chinese = *zh_next < G_N_ELEMENTS (zh_trade_names);

  if (c->kind == KL_CUSTOMER_KIND_INDIVIDUAL)
    {
      const DemoWord *surname = &surnames[rand_int (run->rand, 0, G_N_ELEMENTS (surnames) - 1)];

      c->name = g_strdup_printf ("%s记%s商行", surname->name, ind->zh_word);
      c->legal_name = g_strdup_printf ("%s市%s记%s商行（个体工商户）", city, surname->name, ind->zh_word);
      a->slug = surname->slug;
      return;
    }
  if (c->kind == KL_CUSTOMER_KIND_PUBLIC)
    {
      c->name = g_strdup_printf ("%s市第%s人民医院", city, index % 2 ? "一" : "二");
      c->legal_name = g_strdup (c->name);
      a->slug = "hospital";
      return;
    }

  a->english = can_english && (!can_chinese || rand_chance (run->rand, 0.25));
  if (a->english)
    {
      const DemoWord *trade = &en_trade_names[en_order[(*en_next)++]];

      c->name = g_strdup_printf ("%s %s", trade->name, ind->en_word);
      c->legal_name = g_strdup_printf ("%s %s (%s) Co., Ltd.", trade->name, ind->en_word,
                                       a->region == 1 ? "Shenzhen" : a->region == 2 ? "Beijing" : "Shanghai");
      a->slug = trade->slug;
    }
  else
    {
      /* When the pool runs out, trade names repeat in other cities. */
      const DemoWord *trade = &zh_trade_names[zh_order[*zh_next % G_N_ELEMENTS (zh_trade_names)]];

      (*zh_next)++;
      c->name = g_strdup_printf ("%s%s%s", city, trade->name, ind->zh_word);
      c->legal_name = g_strdup_printf ("%s%s%s%s", city, trade->name, ind->zh_word,
                                       a->size == SIZE_BIG ? "股份有限公司" : "有限公司");
      a->slug = trade->slug;
    }
}

/* The accounts with a story sit at fixed codes, so a demo reads the same
 * every time (and tests can find them): C0004 falling, C0007 late, C0010
 * careless with goods, C0013 sloppy with papers, C0016 and C0028 lost, the
 * last two or three prospects. */
static DemoRole
role_for (guint index,
          guint n)
{
  if ((n >= 10 && index == n - 1) || (n >= 25 && index == n - 2) || (n >= 40 && index == n - 3))
    return ROLE_PROSPECT;
  if ((n >= 20 && index == 15) || (n >= 32 && index == 27))
    return ROLE_LOST;
  switch (index)
    {
    case 3:  return ROLE_FALLING;
    case 6:  return ROLE_LATE;
    case 9:  return ROLE_DAMAGE;
    case 12: return ROLE_DOCS;
    default: return ROLE_NORMAL;
    }
}

static void
make_quality (DemoRun     *run,
              DemoAccount *a)
{
  GRand *r = run->rand;

  a->p_late_dispatch = rand_uniform (r, 0.008, 0.03);
  a->p_late_arrival = rand_uniform (r, 0.008, 0.03);
  a->p_docs_ok = rand_uniform (r, 0.993, 0.999);
  a->p_order_ok = rand_uniform (r, 0.997, 0.9995);
  a->p_damage = rand_uniform (r, 0.0005, 0.002);
  a->p_short = rand_uniform (r, 0.0003, 0.0015);
  a->p_incident = rand_uniform (r, 0.0001, 0.0008);

  switch (a->role)
    {
    case ROLE_LATE:
      a->p_late_dispatch = 0.11;
      a->p_late_arrival = 0.15;
      break;
    case ROLE_DAMAGE:
      a->p_damage = 0.06;
      a->p_short = 0.08;
      a->p_incident = 0.006;
      break;
    case ROLE_DOCS:
      a->p_docs_ok = 0.95;
      a->p_order_ok = 0.982;
      break;
    case ROLE_NORMAL:
    case ROLE_FALLING:
    case ROLE_LOST:
    case ROLE_PROSPECT:
    default:
      break;
    }
}

static void
make_lanes (DemoRun     *run,
            DemoAccount *a)
{
  GRand *r = run->rand;
  guint n = a->size == SIZE_BIG ? (guint) rand_int (r, 5, 8)
          : a->size == SIZE_MEDIUM ? (guint) rand_int (r, 3, 6)
          : (guint) rand_int (r, 2, 4);

  a->n_lanes = MIN (n, G_N_ELEMENTS (a->lanes));
  a->lane_total = 0.0;
  for (guint i = 0; i < a->n_lanes; i++)
    {
      DemoLane *lane = &a->lanes[i];
      double x = g_rand_double (r);

      if (x < 0.75)
        {
          lane->origin_region = a->region;
          lane->origin_city = a->city;
        }
      else
        {
          lane->origin_region = x < 0.9 ? a->region : rand_region (r);
          lane->origin_city = rand_int (r, 0, n_cities (lane->origin_region) - 1);
        }
      lane->dest_region = rand_region (r);
      lane->dest_city = rand_int (r, 0, n_cities (lane->dest_region) - 1);
      if (lane->dest_region == lane->origin_region && lane->dest_city == lane->origin_city)
        lane->dest_city = (lane->dest_city + 1) % n_cities (lane->dest_region);
      lane->weight = rand_uniform (r, 0.5, 1.5) / (1.0 + i * 0.6);
      a->lane_total += lane->weight;
    }
}

static void
set_targets (KlAgreement *ag,
             gboolean     older,
             gboolean     with_otif)
{
  ag->targets[KL_RATE_DISPATCH_ON_TIME] = older ? 0.93 : 0.95;
  ag->targets[KL_RATE_ARRIVAL_ON_TIME] = older ? 0.92 : 0.95;
  ag->targets[KL_RATE_DOCUMENT_ACCURACY] = older ? 0.98 : 0.99;
  ag->targets[KL_RATE_ORDER_ACCURACY] = older ? 0.99 : 0.995;
  ag->targets[KL_RATE_DAMAGE] = older ? 0.002 : 0.001;
  ag->targets[KL_RATE_SHORTAGE] = older ? 0.002 : 0.001;
  ag->targets[KL_RATE_INCIDENT] = older ? 0.003 : 0.002;
  ag->targets[KL_RATE_OTIF] = with_otif ? (older ? 0.90 : 0.92) : NAN;
}

static gboolean
save_agreements (DemoRun      *run,
                 DemoAccount  *a,
                 GError      **error)
{
  static const int graces[] = { 0, 15, 30, 60, 120 };
  static const int ack_days[] = { 3, 7, 15, 30 };
  static const int resolve_days[] = { 30, 60, 90, 120 };
  GRand *r = run->rand;
  guint32 current_from, first_from;
  gboolean two;
  int range_months;

  if (a->role == ROLE_PROSPECT)
    return TRUE;

  range_months = (int) ((run->end_day - run->first_day) / 30);
  two = range_months >= 12 && rand_chance (r, 0.6);
  first_from = month_start (run->last_month, -(range_months + rand_int (r, 0, 24)));
  current_from = two ? month_start (run->last_month, -rand_int (r, 6, range_months - 6)) : first_from;
  if (a->lost_day != 0 && current_from >= a->lost_day)
    current_from = first_from, two = FALSE;

  a->n_terms = 0;
  for (guint k = 0; k < (two ? 2u : 1u); k++)
    {
      gboolean older = two && k == 0;
      g_autoptr(KlAgreement) ag = kl_agreement_new ();
      DemoTerm *term = &a->terms[a->n_terms++];

      ag->id = rand_uuid (r);
      ag->customer_id = g_strdup (a->customer->id);
      term->from = older ? first_from : current_from;
      term->to = older ? current_from - 1 : (a->lost_day != 0 ? a->lost_day : G_MAXUINT32);
      ag->effective_from = julian_to_string (term->from);
      ag->effective_to = term->to != G_MAXUINT32 ? julian_to_string (term->to) : NULL;
      set_targets (ag, older, a->size != SIZE_SMALL || rand_chance (r, 0.5));
      if (!older && rand_chance (r, 0.3))
        ag->targets[KL_RATE_ARRIVAL_ON_TIME] = rand_chance (r, 0.5) ? 0.93 : 0.97;
      ag->dispatch_grace_min = graces[rand_int (r, 0, G_N_ELEMENTS (graces) - 1)];
      ag->delivery_grace_min = graces[rand_int (r, 0, G_N_ELEMENTS (graces) - 1)];
      ag->claim_ack_days = ack_days[rand_int (r, 0, G_N_ELEMENTS (ack_days) - 1)];
      ag->claim_resolve_days = resolve_days[rand_int (r, 0, G_N_ELEMENTS (resolve_days) - 1)];
      term->dispatch_grace = ag->dispatch_grace_min;
      term->delivery_grace = ag->delivery_grace_min;
      if (!kl_agreement_store_save (run->db, ag, error))
        return FALSE;
    }
  return TRUE;
}

static char *
make_phone (GRand *rand)
{
  static const int prefixes[] = { 138, 139, 135, 136, 137, 158, 159, 186, 188, 189, 133, 177 };

  return g_strdup_printf ("%d-%04d-%04d", prefixes[rand_int (rand, 0, G_N_ELEMENTS (prefixes) - 1)],
                          rand_int (rand, 0, 9999), rand_int (rand, 0, 9999));
}

static gboolean
save_contacts (DemoRun      *run,
               DemoAccount  *a,
               GError      **error)
{
  static const KlContactRole other_roles[] = {
    KL_CONTACT_ROLE_PURCHASING, KL_CONTACT_ROLE_FINANCE, KL_CONTACT_ROLE_QUALITY,
    KL_CONTACT_ROLE_EXECUTIVE, KL_CONTACT_ROLE_OTHER,
  };
  GRand *r = run->rand;
  guint n = a->size == SIZE_BIG ? (guint) rand_int (r, 3, 4)
          : a->role == ROLE_PROSPECT ? (guint) rand_int (r, 1, 2)
          : (guint) rand_int (r, 1, 3);
  guint roles[G_N_ELEMENTS (other_roles)];

  for (guint i = 0; i < G_N_ELEMENTS (roles); i++)
    roles[i] = i;
  rand_shuffle (r, roles, G_N_ELEMENTS (roles));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(KlContact) ct = kl_contact_new ();
      const DemoWord *surname = &surnames[rand_int (r, 0, G_N_ELEMENTS (surnames) - 1)];
      const DemoWord *given = &given_names[rand_int (r, 0, G_N_ELEMENTS (given_names) - 1)];
      g_autofree char *local_part = NULL;

      ct->id = rand_uuid (r);
      ct->customer_id = g_strdup (a->customer->id);
      if (a->english && rand_chance (r, 0.5))
        {
          const char *english = english_given_names[rand_int (r, 0, G_N_ELEMENTS (english_given_names) - 1)];

          ct->name = g_strdup_printf ("%s %s", english, surname->slug);
          local_part = g_strdup_printf ("%s.%s", english, surname->slug);
        }
      else
        {
          ct->name = g_strdup_printf ("%s%s", surname->name, given->name);
          local_part = g_strdup_printf ("%s.%s", given->slug, surname->slug);
        }
      /* The first contact is the logistics manager the KAM talks to. */
      ct->role = i == 0 ? KL_CONTACT_ROLE_LOGISTICS : other_roles[roles[i - 1]];
      ct->primary = i == 0;
      ct->phone = make_phone (r);
      if (rand_chance (r, 0.85))
        {
          g_autofree char *lower = g_ascii_strdown (local_part, -1);

          ct->email = g_strdup_printf ("%s@%s.example", lower, a->slug);
        }
      if (rand_chance (r, 0.4))
        ct->birthday = g_strdup_printf ("%04d-%02d-%02d", rand_int (r, 1965, 1995),
                                        rand_int (r, 1, 12), rand_int (r, 1, 28));
      if (rand_chance (r, 0.25))
        ct->notes = g_strdup (contact_notes[rand_int (r, 0, G_N_ELEMENTS (contact_notes) - 1)]);
      if (!kl_contact_store_save (run->db, ct, error))
        return FALSE;
      g_ptr_array_add (a->contact_ids, g_strdup (ct->id));
    }
  return TRUE;
}

static gboolean
make_accounts (DemoRun  *run,
               GError  **error)
{
  static const double relationship_weights[KL_N_RELATIONSHIPS] = { 15, 20, 30, 20, 15 };
  GRand *r = run->rand;
  guint zh_order[G_N_ELEMENTS (zh_trade_names)], en_order[G_N_ELEMENTS (en_trade_names)];
  guint region_order[N_REGIONS];
  guint zh_next = 0, en_next = 0, n_big, n_medium;
  g_autofree guint *sizes = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (zh_order); i++)
    zh_order[i] = i;
  for (guint i = 0; i < G_N_ELEMENTS (en_order); i++)
    en_order[i] = i;
  for (guint i = 0; i < N_REGIONS; i++)
    region_order[i] = i;
  rand_shuffle (r, zh_order, G_N_ELEMENTS (zh_order));
  rand_shuffle (r, en_order, G_N_ELEMENTS (en_order));
  rand_shuffle (r, region_order, N_REGIONS);

  /* A tenth big, a third medium, the rest small: shuffled, but in fixed
   * proportions so every seed gives a portfolio of about the same volume. */
  sizes = g_new (guint, run->n_accounts);
  n_big = MAX (1, (run->n_accounts + 5) / 10);
  n_medium = (run->n_accounts * 35 + 50) / 100;
  for (guint i = 0; i < run->n_accounts; i++)
    sizes[i] = i < n_big ? SIZE_BIG : i < n_big + n_medium ? SIZE_MEDIUM : SIZE_SMALL;
  if (run->n_accounts > 1)
    rand_shuffle (r, sizes + 1, run->n_accounts - 1);

  for (guint i = 0; i < run->n_accounts; i++)
    {
      DemoAccount *a = &run->accounts[i];
      KlCustomer *c;
      double x;

      a->customer = c = kl_customer_new ();
      a->contact_ids = g_ptr_array_new_with_free_func (g_free);
      a->role = role_for (i, run->n_accounts);

      x = g_rand_double (r);
      if (a->role == ROLE_FALLING || a->role == ROLE_LATE || a->role == ROLE_DAMAGE || a->role == ROLE_DOCS)
        a->size = SIZE_MEDIUM;
      else if (a->role == ROLE_LOST || a->role == ROLE_PROSPECT)
        a->size = x < 0.5 ? SIZE_MEDIUM : SIZE_SMALL;
      else
        a->size = sizes[i];

      /* Every region has a customer as soon as there are seven. */
      a->region = i < N_REGIONS ? (int) region_order[i] : rand_region (r);
      a->city = rand_int (r, 0, MIN (2, (int) n_cities (a->region) - 1));
      a->industry = rand_int (r, 0, G_N_ELEMENTS (industries) - 1);

      c->id = rand_uuid (r);
      c->code = g_strdup_printf ("C%04u", i + 1);
      x = g_rand_double (r);
      if (a->role == ROLE_NORMAL && a->size == SIZE_SMALL && x < 0.12)
        c->kind = KL_CUSTOMER_KIND_INDIVIDUAL;
      else if (a->role == ROLE_NORMAL && a->size != SIZE_BIG && (x > 0.95 || i == 20))
        {
          c->kind = KL_CUSTOMER_KIND_PUBLIC;
          a->industry = 3;   /* 医药: a public hospital */
        }
      make_names (run, a, i, &zh_next, zh_order, &en_next, en_order);

      c->channel = rand_chance (r, 0.25) && c->kind == KL_CUSTOMER_KIND_ENTERPRISE
                   ? KL_CHANNEL_DISTRIBUTOR : KL_CHANNEL_END_CUSTOMER;
      g_free (c->industry);
      c->industry = g_strdup (c->kind == KL_CUSTOMER_KIND_PUBLIC ? "医疗机构" : industries[a->industry].name);
      c->region = g_strdup (regions[a->region].name);
      c->address = g_strdup_printf ("%s市%s%d号", regions[a->region].cities[a->city],
                                    streets[rand_int (r, 0, G_N_ELEMENTS (streets) - 1)], rand_int (r, 1, 399));
      c->account_manager = g_strdup (account_managers[rand_weighted (r, account_manager_weights,
                                                                     G_N_ELEMENTS (account_manager_weights))]);
      if (a->size == SIZE_BIG)
        c->relationship = rand_chance (r, 0.5) ? KL_RELATIONSHIP_PARTNER : KL_RELATIONSHIP_PROACTIVE;
      else if (a->role == ROLE_PROSPECT)
        c->relationship = KL_RELATIONSHIP_BASIC;
      else
        c->relationship = rand_weighted (r, relationship_weights, KL_N_RELATIONSHIPS);

      switch (a->role)
        {
        case ROLE_FALLING:
          c->status = KL_CUSTOMER_STATUS_AT_RISK;
          c->notes = g_strdup ("近一年发货量持续下滑，客户称部分线路转给竞争对手，需安排高层拜访。");
          break;
        case ROLE_LATE:
          c->status = KL_CUSTOMER_STATUS_AT_RISK;
          c->notes = g_strdup ("多次投诉到货延误，已承诺在下季度前完成整改。");
          break;
        case ROLE_DAMAGE:
          c->notes = g_strdup ("货损率偏高，需加强包装检查与装卸管理。");
          break;
        case ROLE_DOCS:
          c->notes = g_strdup ("单证与发货差错较多，已与客服部门沟通改进。");
          break;
        case ROLE_LOST:
          {
            int months_ago = rand_int (r, 3, 9);

            c->status = KL_CUSTOMER_STATUS_LOST;
            a->lost_day = month_start (run->last_month, 1 - months_ago) + (guint32) rand_int (r, 0, 25);
            c->lost_date = julian_to_string (a->lost_day);
            c->lost_reason = g_strdup (lost_reasons[rand_int (r, 0, G_N_ELEMENTS (lost_reasons) - 1)]);
          }
          break;
        case ROLE_PROSPECT:
          c->status = KL_CUSTOMER_STATUS_PROSPECT;
          c->notes = g_strdup ("潜在客户，已发送报价，等待试单。");
          break;
        case ROLE_NORMAL:
        default:
          if (rand_chance (r, 0.5))
            c->notes = g_strdup (general_notes[rand_int (r, 0, G_N_ELEMENTS (general_notes) - 1)]);
          break;
        }
      c->tags = make_tags (r, a);
      g_free (c->report_language);
      c->report_language = g_strdup (a->english ? (rand_chance (r, 0.85) ? "en" : "zh_CN")
                                                : (rand_chance (r, 0.06) ? "en" : "zh_CN"));

      switch (a->size)
        {
        case SIZE_BIG:    a->base = rand_uniform (r, 300, 500); break;
        case SIZE_MEDIUM: a->base = rand_uniform (r, 75, 150);  break;
        case SIZE_SMALL:
        default:          a->base = rand_uniform (r, 10, 40);   break;
        }
      if (a->role == ROLE_FALLING)
        a->base = rand_uniform (r, 170, 210);
      a->growth = rand_uniform (r, -0.04, 0.16);
      make_quality (run, a);
      make_lanes (run, a);

      if (!kl_customer_store_save (run->db, c, KL_ORIGIN_SERVER, NULL, error) ||
          !save_contacts (run, a, error) ||
          !save_agreements (run, a, error))
        return FALSE;
    }
  return TRUE;
}

/* Shipments */

static KlShipmentMode
pick_mode (GRand *rand,
           int    days)
{
  double x = g_rand_double (rand);

  if (days <= 1)
    return x < 0.45 ? KL_MODE_ROAD_LTL : x < 0.75 ? KL_MODE_ROAD_FTL : KL_MODE_EXPRESS;
  if (x < 0.35)
    return KL_MODE_ROAD_FTL;
  if (x < 0.68)
    return KL_MODE_ROAD_LTL;
  if (x < 0.80)
    return days >= 3 ? KL_MODE_RAIL : KL_MODE_ROAD_FTL;
  if (x < 0.85)
    return KL_MODE_AIR;
  if (x < 0.87 && days >= 4)
    return KL_MODE_SEA;
  return KL_MODE_EXPRESS;
}

static int
transit_days (GRand          *rand,
              KlShipmentMode  mode,
              int             days)
{
  switch (mode)
    {
    case KL_MODE_AIR:      return 1;
    case KL_MODE_EXPRESS:  return MIN (days, 3);
    case KL_MODE_ROAD_LTL: return days + 1;
    case KL_MODE_RAIL:     return days + 2;
    case KL_MODE_SEA:      return days + rand_int (rand, 5, 8);
    case KL_MODE_ROAD_FTL:
    case KL_MODE_NONE:
    case KL_N_MODES:
    default:               return days;
    }
}

static gint64
pick_pieces (GRand          *rand,
             KlShipmentMode  mode)
{
  int lo, hi;

  switch (mode)
    {
    case KL_MODE_EXPRESS:  lo = 1;   hi = 6;    break;
    case KL_MODE_AIR:      lo = 1;   hi = 40;   break;
    case KL_MODE_ROAD_FTL: lo = 80;  hi = 800;  break;
    case KL_MODE_RAIL:     lo = 200; hi = 1200; break;
    case KL_MODE_SEA:      lo = 300; hi = 2000; break;
    case KL_MODE_ROAD_LTL:
    case KL_MODE_NONE:
    case KL_N_MODES:
    default:               lo = 3;   hi = 60;   break;
    }
  /* Log-uniform: small loads are more common than big ones. */
  return (gint64) round (exp (rand_uniform (rand, log (lo), log (hi + 1))) - 0.5);
}

static void
grace_on (const DemoAccount *a,
          guint32            jd,
          int               *dispatch,
          int               *delivery)
{
  *dispatch = *delivery = 0;
  for (guint i = 0; i < a->n_terms; i++)
    if (a->terms[i].from <= jd && jd <= a->terms[i].to)
      {
        *dispatch = a->terms[i].dispatch_grace;
        *delivery = a->terms[i].delivery_grace;
        return;
      }
}

static KlShipment *
make_shipment (DemoRun     *run,
               DemoAccount *a,
               guint32      jd,
               gint64       midnight)
{
  GRand *r = run->rand;
  KlShipment *s = kl_shipment_new ();
  const DemoLane *lane = &a->lanes[0];
  const DemoIndustry *ind = &industries[a->industry];
  double x = g_rand_double (r) * a->lane_total;
  int days, dispatch_grace, delivery_grace, y, m, d;
  gboolean late_pickup, cancelled;
  gint64 offset;

  for (guint i = 0; i < a->n_lanes; i++)
    {
      lane = &a->lanes[i];
      if (x < lane->weight)
        break;
      x -= lane->weight;
    }

  julian_to_dmy (jd, &y, &m, &d);
  s->waybill = g_strdup_printf ("KL%04d%02d%07u", y, m, ++run->waybill_seq);
  s->customer_id = g_strdup (a->customer->id);
  s->origin_region = g_strdup (regions[lane->origin_region].name);
  s->origin_city = g_strdup (regions[lane->origin_region].cities[lane->origin_city]);
  s->dest_region = g_strdup (regions[lane->dest_region].name);
  s->dest_city = g_strdup (regions[lane->dest_region].cities[lane->dest_city]);

  days = road_days[lane->origin_region][lane->dest_region];
  s->mode = pick_mode (r, days);
  s->pieces = pick_pieces (r, s->mode);
  if (rand_chance (r, 0.985))
    {
      double kg = (double) s->pieces * ind->kg_per_piece * rand_uniform (r, 0.6, 1.4);

      s->weight_g = (gint64) round (kg * 1000.0);
      if (rand_chance (r, 0.97))
        s->volume_cm3 = (gint64) round (kg / ind->kg_per_m3 * rand_uniform (r, 0.8, 1.25) * 1e6);
    }

  /* Pickups are booked on the half hour between 08:00 and 17:30. */
  s->planned_pickup_at = midnight + rand_int (r, 16, 35) * 1800;
  s->planned_delivery_at = midnight + (gint64) transit_days (r, s->mode, days) * SECONDS_PER_DAY +
                           rand_int (r, 9, 18) * 3600;

  cancelled = rand_chance (r, 0.006);
  if (cancelled)
    {
      s->status = KL_SHIPMENT_STATUS_CANCELLED;
      s->updated_at = s->planned_pickup_at - rand_int (r, 2, 48) * 3600;
      return s;
    }

  grace_on (a, jd, &dispatch_grace, &delivery_grace);
  late_pickup = rand_chance (r, a->p_late_dispatch);
  if (late_pickup)
    offset = dispatch_grace * 60 + 60 + (gint64) rand_exponential (r, 150 * 60);
  else
    offset = rand_int (r, -40 * 60, dispatch_grace * 60);
  s->picked_up_at = s->planned_pickup_at + offset;

  if (rand_chance (r, late_pickup ? 0.35 : a->p_late_arrival))
    {
      offset = delivery_grace * 60 + 60 + (gint64) rand_exponential (r, 240 * 60);
      if (rand_chance (r, 0.1))
        offset += rand_int (r, 1, 2) * SECONDS_PER_DAY;
    }
  else
    offset = rand_int (r, -6 * 3600, delivery_grace * 60);
  s->delivered_at = MAX (s->planned_delivery_at + offset, s->picked_up_at + 3600 + rand_int (r, 0, 3600));

  if (rand_chance (r, 0.92))
    s->documents_ok = rand_chance (r, a->p_docs_ok) ? KL_TRI_TRUE : KL_TRI_FALSE;
  if (rand_chance (r, 0.96))
    s->order_accurate = rand_chance (r, a->p_order_ok) ? KL_TRI_TRUE : KL_TRI_FALSE;
  s->incident = rand_chance (r, a->p_incident);

  if (s->picked_up_at >= run->cutoff)
    {
      s->status = KL_SHIPMENT_STATUS_BOOKED;
      s->picked_up_at = KL_NO_TIME;
      s->delivered_at = KL_NO_TIME;
      s->documents_ok = KL_TRI_UNKNOWN;
      s->order_accurate = KL_TRI_UNKNOWN;
      s->incident = FALSE;
      s->updated_at = s->planned_pickup_at - rand_int (r, 4, 72) * 3600;
    }
  else if (s->delivered_at >= run->cutoff)
    {
      s->status = KL_SHIPMENT_STATUS_IN_TRANSIT;
      s->delivered_at = KL_NO_TIME;
      s->updated_at = s->picked_up_at;
    }
  else
    {
      s->status = KL_SHIPMENT_STATUS_DELIVERED;
      /* A careless account damages a share of a load, others a carton or two. */
      if (rand_chance (r, a->p_damage))
        s->damaged_pieces = MIN (s->pieces, rand_int (r, 1, a->role == ROLE_DAMAGE ? MAX (2, (int) s->pieces / 15) : 3));
      if (rand_chance (r, a->p_short))
        s->short_pieces = MIN (s->pieces, rand_int (r, 1, a->role == ROLE_DAMAGE ? MAX (2, (int) s->pieces / 20) : 2));
      s->updated_at = s->delivered_at + rand_int (r, 60, 6 * 3600);
    }
  return s;
}

static gboolean
check_cancelled (DemoRun  *run,
                 GError  **error)
{
  if (run->cancellable != NULL && g_cancellable_is_cancelled (run->cancellable))
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_CANCELLED,
                   _("Creating the demo workspace was cancelled; nothing was written"));
      return FALSE;
    }
  return TRUE;
}

static void
report_progress (DemoRun *run,
                 double   fraction)
{
  fraction = CLAMP (fraction, 0.0, 1.0);
  if (run->progress != NULL && (fraction - run->last_reported >= 0.005 || fraction >= 1.0))
    {
      run->last_reported = fraction;
      run->progress (fraction, run->progress_data);
    }
}

static gboolean
make_shipments (DemoRun  *run,
                GError  **error)
{
  /* Customers and agreements are the first 5 % of the work, shipments the
   * next 90 %, activities and classes the rest. */
  run->work_total = 0.0;
  for (guint i = 0; i < run->n_accounts; i++)
    for (guint32 jd = run->first_day; jd < run->end_day; jd++)
      run->work_total += day_lambda (run, &run->accounts[i], jd);
  run->work_done = 0.0;

  for (guint i = 0; i < run->n_accounts; i++)
    {
      DemoAccount *a = &run->accounts[i];

      for (guint32 jd = run->first_day; jd < run->end_day; jd++)
        {
          double lambda = day_lambda (run, a, jd);
          guint n = rand_poisson (run->rand, lambda);
          gint64 midnight;

          run->work_done += lambda;
          if (n == 0)
            continue;
          midnight = local_midnight (run, jd);
          for (guint k = 0; k < n; k++)
            {
              g_autoptr(KlShipment) s = make_shipment (run, a, jd, midnight);

              if (!kl_shipment_store_save (run->db, s, NULL, error))
                return FALSE;
            }
          if ((jd & 31) == 0)
            {
              if (!check_cancelled (run, error))
                return FALSE;
              report_progress (run, 0.05 + 0.9 * run->work_done / MAX (run->work_total, 1.0));
            }
        }
    }
  return TRUE;
}

/* Activities */

static const DemoActivityKind *
pick_activity_kind (GRand *rand)
{
  double weights[G_N_ELEMENTS (activity_kinds)];

  for (guint i = 0; i < G_N_ELEMENTS (activity_kinds); i++)
    weights[i] = activity_kinds[i].weight;
  return &activity_kinds[rand_weighted (rand, weights, G_N_ELEMENTS (activity_kinds))];
}

static const char *
pick_subject (GRand                  *rand,
              const DemoActivityKind *kind)
{
  guint n = 0;

  while (n < G_N_ELEMENTS (kind->subjects) && kind->subjects[n] != NULL)
    n++;
  return kind->subjects[rand_int (rand, 0, n - 1)];
}

static const DemoActivityKind *
activity_kind (KlActivityKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (activity_kinds); i++)
    if (activity_kinds[i].kind == kind)
      return &activity_kinds[i];
  g_assert_not_reached ();
}

static gboolean
save_activity (DemoRun         *run,
               DemoAccount     *a,
               KlActivityKind   kind,
               const char      *subject,
               gint64           at,
               gint64           due_at,
               gboolean         done,
               GError         **error)
{
  GRand *r = run->rand;
  g_autoptr(KlActivity) act = kl_activity_new ();

  act->id = rand_uuid (r);
  act->customer_id = g_strdup (a->customer->id);
  act->kind = kind;
  act->subject = g_strdup (subject);
  if ((kind == KL_ACTIVITY_CALL || kind == KL_ACTIVITY_VISIT || kind == KL_ACTIVITY_MEETING) &&
      a->contact_ids->len > 0)
    act->contact_id = g_strdup (g_ptr_array_index (a->contact_ids, rand_int (r, 0, a->contact_ids->len - 1)));
  if (due_at != KL_NO_TIME && rand_chance (r, 0.6))
    act->notes = g_strdup (follow_up_notes[rand_int (r, 0, G_N_ELEMENTS (follow_up_notes) - 1)]);
  act->at = at;
  act->due_at = due_at;
  act->done = done;
  act->created_at = at < run->cutoff ? at : run->cutoff - rand_int (r, 1, 5) * SECONDS_PER_DAY;
  return kl_activity_store_save (run->db, act, error);
}

static gboolean
make_activities (DemoRun     *run,
                 DemoAccount *a,
                 guint        index,
                 GError     **error)
{
  GRand *r = run->rand;
  gint64 end = a->lost_day != 0 ? local_midnight (run, a->lost_day) : run->cutoff;
  guint n;

  switch (a->size)
    {
    case SIZE_BIG:    n = rand_int (r, 10, 16); break;
    case SIZE_MEDIUM: n = rand_int (r, 6, 10);  break;
    case SIZE_SMALL:
    default:          n = rand_int (r, 3, 6);   break;
    }

  for (guint i = 0; i < n; i++)
    {
      const DemoActivityKind *kind = pick_activity_kind (r);
      gint64 at = end - rand_int (r, 1, 365) * (gint64) SECONDS_PER_DAY + rand_int (r, -15, -6) * 3600;
      gint64 due_at = KL_NO_TIME;
      gboolean done = TRUE;

      if (rand_chance (r, 0.3))
        {
          due_at = at + rand_int (r, 2, 14) * (gint64) SECONDS_PER_DAY;
          /* Recent follow-ups are still open: some overdue, some due soon. */
          done = a->lost_day != 0 || due_at < run->cutoff - 12 * (gint64) SECONDS_PER_DAY;
        }
      if (!save_activity (run, a, kind->kind, pick_subject (r, kind), at, due_at, done, error))
        return FALSE;
    }

  if (a->lost_day != 0)
    return TRUE;

  /* An open task on every third account, due around the turn of the month. */
  if (index % 3 == 0 || a->role == ROLE_FALLING)
    {
      gint64 at = run->cutoff - rand_int (r, 1, 12) * (gint64) SECONDS_PER_DAY + rand_int (r, 9, 17) * 3600;
      gint64 due_at = run->cutoff + rand_int (r, -8, 20) * (gint64) SECONDS_PER_DAY + 17 * 3600;
      const char *subject = a->role == ROLE_FALLING ? "安排高层拜访，了解业务转移原因"
                                                    : pick_subject (r, activity_kind (KL_ACTIVITY_TASK));

      if (!save_activity (run, a, KL_ACTIVITY_TASK, subject, at, due_at, FALSE, error))
        return FALSE;
    }
  /* A planned visit or meeting next month on some. */
  if (rand_chance (r, 0.25))
    {
      KlActivityKind kind = rand_chance (r, 0.6) ? KL_ACTIVITY_VISIT : KL_ACTIVITY_MEETING;
      gint64 at = run->cutoff + rand_int (r, 3, 30) * (gint64) SECONDS_PER_DAY + rand_int (r, 9, 16) * 3600;

      if (!save_activity (run, a, kind, pick_subject (r, activity_kind (kind)), at, at, FALSE, error))
        return FALSE;
    }
  return TRUE;
}

/* The demo's records stand as they would after a pull from the back office:
 * stamped by the data's own clock rather than the wall clock (so a seed
 * repeats exactly) and with nothing queued for the server. */
static gboolean
settle_records (DemoRun  *run,
                gint64    outbox_before,
                GError  **error)
{
  sqlite3_stmt *stmt;

  for (guint i = 0; i < run->n_accounts; i++)
    {
      DemoAccount *a = &run->accounts[i];
      gint64 stamp = (a->lost_day != 0 ? local_midnight (run, a->lost_day) : run->cutoff) -
                     rand_int (run->rand, 1, 30 * 24) * (gint64) 3600;

      stmt = kl_database_prepare (run->db, "UPDATE customers SET updated_at = ? WHERE id = ?", error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, stamp);
      kl_bind_text (stmt, 2, a->customer->id);
      if (!kl_database_step_done (run->db, stmt, error))
        return FALSE;
    }

  stmt = kl_database_prepare (run->db, "DELETE FROM outbox WHERE seq > ?", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, outbox_before);
  return kl_database_step_done (run->db, stmt, error);
}

static gint64
query_int (KlDatabase  *db,
           const char  *sql,
           GError     **error)
{
  sqlite3_stmt *stmt = kl_database_prepare (db, sql, error);
  gint64 value = -1;

  if (stmt == NULL)
    return -1;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  else
    kl_database_set_error (db, error, _("Reading the workspace"));
  sqlite3_reset (stmt);
  return value;
}

static void
restore_cache_size (KlDatabase *db,
                    gint64      size)
{
  g_autofree char *sql = NULL;

  if (size == 0)
    return;
  sql = g_strdup_printf ("PRAGMA cache_size = %" G_GINT64_FORMAT, size);
  kl_database_exec (db, sql, NULL);
}

static int
previous_month (GTimeZone *tz)
{
  g_autoptr(GDateTime) now = g_date_time_new_now (tz);
  int y = g_date_time_get_year (now), m = g_date_time_get_month (now) - 1;

  if (m == 0)
    {
      m = 12;
      y--;
    }
  return kl_month_make (y, m);
}

static void
demo_run_clear (DemoRun *run)
{
  for (guint i = 0; i < run->n_accounts; i++)
    {
      g_clear_pointer (&run->accounts[i].customer, kl_customer_free);
      g_clear_pointer (&run->accounts[i].contact_ids, g_ptr_array_unref);
    }
  g_clear_pointer (&run->accounts, g_free);
  g_clear_pointer (&run->rand, g_rand_free);
}

gboolean
kl_demo_fill (KlDatabase          *db,
              const KlDemoOptions *options,
              KlDemoProgressFunc   progress,
              gpointer             progress_data,
              GCancellable        *cancellable,
              GError             **error)
{
  KlDemoOptions defaults = KL_DEMO_OPTIONS_INIT;
  DemoRun run = { 0 };
  gint64 existing, outbox_before, old_cache_size = 0;
  int last_month;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options == NULL)
    options = &defaults;
  if (options->n_customers < 1 || options->n_customers > 100000)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("A demo workspace holds from 1 to 100000 customers, not %u"), options->n_customers);
      return FALSE;
    }
  if (options->years < 1 || options->years > 30)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("A demo workspace covers from 1 to 30 years, not %u"), options->years);
      return FALSE;
    }
  last_month = options->last_month != 0 ? options->last_month : previous_month (kl_database_get_timezone (db));
  if (last_month % 100 < 1 || last_month % 100 > 12 || last_month / 100 < 1970 || last_month / 100 > 9000)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   _("The last month of a demo workspace must be a month like 202610, not %d"), last_month);
      return FALSE;
    }

  if (!kl_database_begin (db, error))
    return FALSE;

  existing = query_int (db, "SELECT count(*) FROM customers", error);
  if (existing < 0)
    goto fail;
  if (existing > 0)
    {
      g_set_error (error, KL_DATABASE_ERROR, KL_DATABASE_ERROR_INVALID,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The workspace “%s” already holds %d customer; demo data goes only into an empty workspace",
                                "The workspace “%s” already holds %d customers; demo data goes only into an empty workspace",
                                (gulong) existing),
                   kl_database_get_path (db), (int) existing);
      goto fail;
    }
  outbox_before = query_int (db, "SELECT coalesce(max(seq), 0) FROM outbox", error);
  if (outbox_before < 0)
    goto fail;

  run.db = db;
  run.rand = g_rand_new_with_seed (options->seed);
  run.tz = kl_database_get_timezone (db);
  run.last_month = last_month;
  run.end_day = month_start (last_month, 1);
  run.first_day = month_start (last_month, 1 - 12 * (int) options->years);
  run.cutoff = local_midnight (&run, run.end_day);
  run.n_accounts = options->n_customers;
  run.accounts = g_new0 (DemoAccount, run.n_accounts);
  run.progress = progress;
  run.progress_data = progress_data;
  run.cancellable = cancellable;
  run.last_reported = -1.0;

  /* A page cache big enough for the whole fill keeps SQLite from spilling
   * half-written pages to the log in the middle of the transaction. */
  old_cache_size = query_int (db, "PRAGMA cache_size", NULL);
  if (!kl_database_exec (db, "PRAGMA cache_size = -131072", error))
    goto fail;

  report_progress (&run, 0.0);
  if (!make_accounts (&run, error) || !check_cancelled (&run, error))
    goto fail;
  report_progress (&run, 0.05);
  if (!make_shipments (&run, error) || !check_cancelled (&run, error))
    goto fail;
  for (guint i = 0; i < run.n_accounts; i++)
    if (!make_activities (&run, &run.accounts[i], i, error))
      goto fail;
  report_progress (&run, 0.96);
  {
    /* Cases draw from their own stream so adding them leaves every other
     * record of a seed as it was. */
    g_autoptr(GRand) claims_rand = g_rand_new_with_seed (options->seed ^ 0x636c6d73u);

    if (!kl_demo_add_claims (db, claims_rand, run.cutoff, error) ||
        !check_cancelled (&run, error))
      goto fail;
  }
  report_progress (&run, 0.98);
  if (!settle_records (&run, outbox_before, error) ||
      !kl_customer_store_update_abc (db, last_month, error) ||
      !check_cancelled (&run, error))
    goto fail;
  if (!kl_database_commit (db, error))
    {
      restore_cache_size (db, old_cache_size);
      demo_run_clear (&run);
      return FALSE;
    }
  restore_cache_size (db, old_cache_size);
  report_progress (&run, 1.0);
  demo_run_clear (&run);
  return TRUE;

fail:
  kl_database_rollback (db);
  restore_cache_size (db, old_cache_size);
  demo_run_clear (&run);
  return FALSE;
}

gboolean
kl_demo_clear (KlDatabase  *db,
               GError     **error)
{
  g_autoptr(GPtrArray) tables = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) virtual_tables = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (KL_IS_DATABASE (db), FALSE);

  if (!kl_database_begin (db, error))
    return FALSE;
  /* Tables are emptied in any order; references are checked at commit. */
  if (!kl_database_exec (db, "PRAGMA defer_foreign_keys = ON", error))
    goto fail;
  /* The claims history refuses deletes; the claim store lifts that itself. */
  if (!kl_claim_store_clear_all (db, error))
    goto fail;

  stmt = kl_database_prepare (db,
                              "SELECT name, sql LIKE 'CREATE VIRTUAL TABLE%' FROM sqlite_schema "
                              "WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' "
                              "AND name != 'settings' ORDER BY name",
                              error);
  if (stmt == NULL)
    goto fail;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (tables, kl_column_dup_text (stmt, 0));
      if (sqlite3_column_int (stmt, 1))
        g_ptr_array_add (virtual_tables, kl_column_dup_text (stmt, 0));
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    {
      kl_database_set_error (db, error, _("Listing the workspace’s tables"));
      goto fail;
    }

  for (guint i = 0; i < tables->len; i++)
    {
      const char *name = g_ptr_array_index (tables, i);
      gboolean shadow = FALSE;
      char *sql;
      gboolean ok;

      /* A full-text index keeps its own shadow tables; it empties them. */
      for (guint v = 0; v < virtual_tables->len && !shadow; v++)
        {
          const char *vt = g_ptr_array_index (virtual_tables, v);

          shadow = g_str_has_prefix (name, vt) && name[strlen (vt)] == '_';
        }
      if (shadow)
        continue;
      /* A table name cannot be bound; it comes from the schema, quoted. */
      sql = sqlite3_mprintf ("DELETE FROM \"%w\"", name);
      ok = kl_database_exec (db, sql, error);
      sqlite3_free (sql);
      if (!ok)
        goto fail;
    }

  return kl_database_commit (db, error);

fail:
  kl_database_rollback (db);
  return FALSE;
}
