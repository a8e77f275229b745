import type { ChartId } from '../metrics/time-series';

/**
 * The fixed text of the exported report, in every language it is written in. `ReportStrings`
 * lists every key; each language is checked against it, so a key missing from one language
 * (or one left over) does not compile. Functions take numbers already formatted, so the
 * report formats numbers one way in both languages; text from the scenario passed to them
 * (causes, names) is escaped by the caller with the rest of the sentence.
 */
export type ReportLang = 'en' | 'zh-CN';

export interface ReportStrings {
  readonly reportName: string;
  readonly generatedBy: (tool: string) => string;
  readonly meta: {
    readonly seed: string;
    readonly engineVersion: string;
    readonly traceHash: string;
    readonly simulated: string;
    readonly events: string;
  };
  readonly headings: {
    readonly findings: string;
    readonly expectations: string;
    readonly sloBreaches: string;
    readonly charts: string;
    readonly tables: string;
    readonly messages: string;
    readonly latency: string;
    readonly throughput: string;
    readonly cluster: string;
    readonly business: string;
    readonly businessLatency: string;
    readonly queueing: string;
    readonly queueingEstimates: string;
    readonly faults: string;
  };
  readonly charts: Readonly<Record<ChartId, string>>;
  readonly chart: {
    readonly time: string;
    readonly noData: string;
    readonly noSeries: string;
    readonly faultLegend: string;
    readonly eventLegend: string;
  };
  readonly units: {
    readonly messages: string;
    readonly messagesPerSecond: string;
    readonly orders: string;
    readonly stockUnits: string;
    readonly milliseconds: string;
    readonly seconds: string;
    readonly partitionSeconds: string;
    readonly perSecond: string;
    readonly customers: string;
  };
  readonly table: {
    readonly measure: string;
    readonly value: string;
    readonly name: string;
    readonly expected: string;
    readonly actual: string;
    readonly result: string;
    readonly met: string;
    readonly missed: string;
    readonly yes: string;
    readonly no: string;
    readonly none: string;
  };
  readonly messages: {
    readonly produced: string;
    readonly acked: string;
    readonly delivered: string;
    readonly lost: string;
    readonly rejected: string;
    readonly duplicates: string;
    readonly inFlight: string;
    readonly conservation: string;
    readonly holds: string;
    readonly violated: string;
  };
  readonly latency: {
    readonly names: Readonly<Record<'endToEnd' | 'produce' | 'queueWait' | 'service' | 'orderConfirm' | 'push', string>>;
    readonly mean: string;
    readonly max: string;
  };
  readonly throughput: {
    readonly producedPeak: string;
    readonly producedMean: string;
    readonly deliveredPeak: string;
    readonly deliveredMean: string;
  };
  readonly cluster: {
    readonly leaderElections: string;
    readonly uncleanElections: string;
    readonly elrElections: string;
    readonly preferredElections: string;
    readonly underReplicatedPartitionSeconds: string;
    readonly offlinePartitionSeconds: string;
    readonly maxConsumerLag: string;
    readonly rebalances: string;
    readonly membersRemoved: string;
    readonly commitsFailed: string;
    readonly recordsPerBatch: string;
    readonly reorderedBatches: string;
  };
  readonly business: {
    readonly ordersPlaced: string;
    readonly ordersAccepted: string;
    readonly ordersRejected: string;
    readonly oversold: string;
    readonly processedTwice: string;
    readonly ordersLost: string;
    readonly ordersUnpaidReleased: string;
    readonly stockDivergenceMax: string;
    readonly stockDivergenceSeconds: string;
    readonly pushSent: string;
    readonly pushDelivered: string;
    readonly pushRetried: string;
    readonly pushDeadLettered: string;
    readonly pushLatencyP99: string;
  };
  readonly queueing: {
    readonly model: string;
    readonly servers: string;
    readonly arrivalRate: string;
    readonly utilisation: string;
    readonly theoryNote: string;
    readonly confidenceLevel: string;
    readonly batches: string;
    readonly customersPerBatch: string;
    readonly warmupCustomers: string;
    readonly batchLag1Autocorrelation: string;
    readonly measurementNote: string;
    readonly quantity: string;
    readonly measured: string;
    readonly theory: string;
    readonly theoryInInterval: string;
    readonly sojournMean: string;
    readonly waitMean: string;
    readonly inSystemMean: string;
    readonly sojournP99: string;
    readonly littleLaw: string;
    readonly littleLawValue: (timeAverage: string, product: string, difference: string) => string;
  };
  readonly faults: {
    readonly kind: string;
    readonly target: string;
    readonly at: string;
    readonly ended: string;
    readonly notEnded: string;
  };
  readonly slo: {
    readonly name: string;
    readonly from: string;
    readonly to: string;
    readonly worst: string;
  };
  readonly findings: {
    readonly lostByCause: (count: string, cause: string) => string;
    readonly lostWithoutCause: (count: string) => string;
    readonly noLoss: string;
    readonly duplicates: (count: string) => string;
    readonly rejectedByCause: (count: string, cause: string) => string;
    readonly noOversell: string;
    readonly oversold: (units: string) => string;
    readonly processedTwice: (orders: string) => string;
    readonly ordersLost: (orders: string) => string;
    readonly ordersAccepted: (accepted: string, placed: string, confirmed: string, rejected: string) => string;
    readonly orderConfirmP99: (milliseconds: string) => string;
    readonly endToEndP99: (milliseconds: string) => string;
    readonly elections: (count: string, unclean: string) => string;
    readonly elrElections: (count: string) => string;
    readonly preferredElections: (count: string) => string;
    readonly expectationsAllMet: (count: string) => string;
    readonly expectationsMissed: (missed: string, total: string, names: string) => string;
    readonly sloBreach: (slo: string, from: string, to: string, worst: string) => string;
    readonly moreSloBreaches: (count: string) => string;
    readonly conservationHolds: string;
    readonly conservationViolated: (violations: string) => string;
  };
}

const en: ReportStrings = {
  reportName: 'QueueLab report',
  generatedBy: (tool) => `Generated by ${tool}`,
  meta: { seed: 'Seed', engineVersion: 'Engine version', traceHash: 'Trace hash', simulated: 'Simulated time', events: 'Events' },
  headings: {
    findings: 'Findings in plain words',
    expectations: 'Expectations',
    sloBreaches: 'SLO breaches',
    charts: 'Charts',
    tables: 'Tables',
    messages: 'Messages',
    latency: 'Latency percentiles',
    throughput: 'Throughput',
    cluster: 'Cluster',
    business: 'Business outcome',
    businessLatency: 'Business latency percentiles',
    queueing: 'Queueing model',
    queueingEstimates: 'Measured against theory',
    faults: 'Faults',
  },
  charts: {
    throughput: 'Throughput',
    latency: 'Latency',
    lag: 'Consumer lag',
    replication: 'Replication',
    loss: 'Loss',
    business: 'Business',
  },
  chart: {
    time: 'time (s)',
    noData: 'no data in this run',
    noSeries: 'No time series was recorded for this run, so there are no charts.',
    faultLegend: 'fault (shaded while active)',
    eventLegend: 'cluster event',
  },
  units: {
    messages: 'msg',
    messagesPerSecond: 'msg/s',
    orders: 'orders',
    stockUnits: 'units',
    milliseconds: 'ms',
    seconds: 's',
    partitionSeconds: 'partition·s',
    perSecond: '/s',
    customers: 'customers',
  },
  table: {
    measure: 'Measure',
    value: 'Value',
    name: 'Name',
    expected: 'Expected',
    actual: 'Actual',
    result: 'Result',
    met: 'met',
    missed: 'missed',
    yes: 'yes',
    no: 'no',
    none: 'none',
  },
  messages: {
    produced: 'Produced',
    acked: 'Acknowledged',
    delivered: 'Delivered',
    lost: 'Lost',
    rejected: 'Rejected',
    duplicates: 'Duplicates',
    inFlight: 'In flight at the end',
    conservation: 'Conservation (produced = delivered + lost + rejected + in flight)',
    holds: 'holds',
    violated: 'violated',
  },
  latency: {
    names: {
      endToEnd: 'End to end',
      produce: 'Produce (send to acknowledgement)',
      queueWait: 'Queue wait',
      service: 'Service',
      orderConfirm: 'Order confirmation',
      push: 'Push notification',
    },
    mean: 'mean',
    max: 'max',
  },
  throughput: {
    producedPeak: 'Produced, peak',
    producedMean: 'Produced, mean',
    deliveredPeak: 'Delivered, peak',
    deliveredMean: 'Delivered, mean',
  },
  cluster: {
    leaderElections: 'Leader elections',
    uncleanElections: 'Unclean elections',
    elrElections: 'Leaders elected from the eligible leader replicas (ELR)',
    preferredElections: 'Leaderships moved back to the preferred replica',
    underReplicatedPartitionSeconds: 'Under-replicated partition time',
    offlinePartitionSeconds: 'Offline partition time',
    maxConsumerLag: 'Largest consumer lag',
    rebalances: 'Consumer-group rebalances',
    membersRemoved: 'Consumers removed from the group (session or poll timeout)',
    commitsFailed: 'Offset commits refused to removed consumers (CommitFailedException)',
    recordsPerBatch: 'Records per produced batch',
    reorderedBatches: 'Batches written behind a later batch (per-key order broken)',
  },
  business: {
    ordersPlaced: 'Orders placed',
    ordersAccepted: 'Orders accepted',
    ordersRejected: 'Orders rejected',
    oversold: 'Oversold',
    processedTwice: 'Orders processed twice',
    ordersLost: 'Accepted orders never answered',
    ordersUnpaidReleased: 'Unpaid orders released',
    stockDivergenceMax: 'Largest stock-view divergence',
    stockDivergenceSeconds: 'Time with a diverging stock view',
    pushSent: 'Push notifications sent',
    pushDelivered: 'Push notifications delivered',
    pushRetried: 'Push notifications retried',
    pushDeadLettered: 'Push notifications dead-lettered',
    pushLatencyP99: 'Push latency p99',
  },
  queueing: {
    model: 'Model',
    servers: 'Servers',
    arrivalRate: 'Arrival rate',
    utilisation: 'Utilisation',
    theoryNote: 'Theory',
    confidenceLevel: 'Confidence level',
    batches: 'Batches',
    customersPerBatch: 'Customers per batch',
    warmupCustomers: 'Warm-up customers',
    batchLag1Autocorrelation: 'Lag-1 autocorrelation of batch means',
    measurementNote: 'Measurement note',
    quantity: 'Quantity',
    measured: 'Measured (± half-width)',
    theory: 'Theory',
    theoryInInterval: 'Theory inside the interval',
    sojournMean: 'Mean time in system',
    waitMean: 'Mean wait',
    inSystemMean: 'Mean number in system',
    sojournP99: 'p99 time in system',
    littleLaw: "Little's law",
    littleLawValue: (timeAverage, product, difference) => `L = ${timeAverage}, λW = ${product} (difference ${difference})`,
  },
  faults: { kind: 'Fault', target: 'Target', at: 'At', ended: 'Ended', notEnded: 'not over at the end' },
  slo: { name: 'SLO', from: 'From', to: 'To', worst: 'Worst value' },
  findings: {
    lostByCause: (count, cause) => `${count} messages were lost: ${cause}`,
    lostWithoutCause: (count) => `${count} messages were lost without a recorded cause`,
    noLoss: 'No message was lost',
    duplicates: (count) => `${count} messages were delivered more than once`,
    rejectedByCause: (count, cause) => `${count} messages were rejected: ${cause}`,
    noOversell: 'No order was oversold',
    oversold: (units) => `${units} units were sold beyond the stock (oversold)`,
    processedTwice: (orders) => `${orders} orders had their stock deducted twice`,
    ordersLost: (orders) => `${orders} accepted orders never got a confirmation or a rejection`,
    ordersAccepted: (accepted, placed, confirmed, rejected) =>
      `${placed} orders placed: ${accepted} admitted by the gateway, ${confirmed} confirmed, ${rejected} rejected`,
    orderConfirmP99: (milliseconds) => `p99 order confirmation ${milliseconds} ms`,
    endToEndP99: (milliseconds) => `p99 end-to-end message latency ${milliseconds} ms`,
    elections: (count, unclean) => `${count} leader elections, ${unclean} of them unclean`,
    elrElections: (count) => `${count} leaders came from the eligible leader replicas (KIP-966): replicas out of the ISR that still held every committed message`,
    preferredElections: (count) =>
      `${count} leaderships moved back to their preferred replica at the controller's leader-imbalance check (auto.leader.rebalance.enable): planned, clean elections`,
    expectationsAllMet: (count) => `All ${count} expectations were met`,
    expectationsMissed: (missed, total, names) => `${missed} of ${total} expectations were missed: ${names}`,
    sloBreach: (slo, from, to, worst) => `SLO ${slo} breached from ${from} s to ${to} s (worst ${worst})`,
    moreSloBreaches: (count) => `… and ${count} more SLO breaches (see the table)`,
    conservationHolds: 'Conservation holds: every produced message was delivered, lost, rejected or is still in flight',
    conservationViolated: (violations) => `Conservation is violated: ${violations}`,
  },
};

const zhCN: ReportStrings = {
  reportName: 'QueueLab 报告',
  generatedBy: (tool) => `由 ${tool} 生成`,
  meta: { seed: '随机种子', engineVersion: '引擎版本', traceHash: '轨迹哈希', simulated: '模拟时长', events: '事件数' },
  headings: {
    findings: '主要发现（通俗说明）',
    expectations: '预期检查',
    sloBreaches: 'SLO 未达标时段',
    charts: '图表',
    tables: '明细表',
    messages: '消息',
    latency: '延迟分位数',
    throughput: '吞吐量',
    cluster: '集群',
    business: '业务结果',
    businessLatency: '业务延迟分位数',
    queueing: '排队模型',
    queueingEstimates: '测量值与理论值对比',
    faults: '故障',
  },
  charts: {
    throughput: '吞吐量',
    latency: '延迟',
    lag: '消费积压',
    replication: '副本同步',
    loss: '消息丢失',
    business: '业务指标',
  },
  chart: {
    time: '时间 (s)',
    noData: '本次运行没有数据',
    noSeries: '本次运行没有记录时间序列，因此没有图表。',
    faultLegend: '故障（阴影为持续期间）',
    eventLegend: '集群事件',
  },
  units: {
    messages: '条',
    messagesPerSecond: '条/s',
    orders: '单',
    stockUnits: '件',
    milliseconds: 'ms',
    seconds: 's',
    partitionSeconds: '分区·秒',
    perSecond: '/s',
    customers: '位顾客',
  },
  table: {
    measure: '指标',
    value: '数值',
    name: '名称',
    expected: '预期',
    actual: '实际',
    result: '结果',
    met: '达成',
    missed: '未达成',
    yes: '是',
    no: '否',
    none: '无',
  },
  messages: {
    produced: '已生产',
    acked: '已确认',
    delivered: '已投递',
    lost: '丢失',
    rejected: '被拒绝',
    duplicates: '重复投递',
    inFlight: '结束时仍在途',
    conservation: '守恒检查（生产 = 投递 + 丢失 + 拒绝 + 在途）',
    holds: '成立',
    violated: '不成立',
  },
  latency: {
    names: {
      endToEnd: '端到端',
      produce: '生产（发送到确认）',
      queueWait: '排队等待',
      service: '服务',
      orderConfirm: '订单确认',
      push: '推送通知',
    },
    mean: '平均',
    max: '最大',
  },
  throughput: {
    producedPeak: '生产峰值',
    producedMean: '生产均值',
    deliveredPeak: '投递峰值',
    deliveredMean: '投递均值',
  },
  cluster: {
    leaderElections: 'Leader 选举次数',
    uncleanElections: '非干净选举次数',
    elrElections: '从合格领导者副本（ELR）中选出的领导者',
    preferredElections: '领导权回到首选副本的次数',
    underReplicatedPartitionSeconds: '副本不足分区时长',
    offlinePartitionSeconds: '离线分区时长',
    maxConsumerLag: '最大消费积压',
    rebalances: '消费组再均衡次数',
    membersRemoved: '被移出消费组的消费者（会话超时或拉取间隔超时）',
    commitsFailed: '被移出的消费者提交位移失败次数（CommitFailedException）',
    recordsPerBatch: '每个生产批次的记录数',
    reorderedBatches: '写在后发批次之后的批次（同键顺序被打乱）',
  },
  business: {
    ordersPlaced: '下单数',
    ordersAccepted: '受理订单',
    ordersRejected: '拒绝订单',
    oversold: '超卖',
    processedTwice: '重复扣减库存的订单',
    ordersLost: '受理后无应答的订单',
    ordersUnpaidReleased: '未支付释放的订单',
    stockDivergenceMax: '库存视图最大偏差',
    stockDivergenceSeconds: '库存视图不一致时长',
    pushSent: '已发送推送',
    pushDelivered: '已送达推送',
    pushRetried: '重试的推送',
    pushDeadLettered: '进入死信的推送',
    pushLatencyP99: '推送延迟 p99',
  },
  queueing: {
    model: '模型',
    servers: '服务台数',
    arrivalRate: '到达率',
    utilisation: '利用率',
    theoryNote: '理论说明',
    confidenceLevel: '置信水平',
    batches: '批次数',
    customersPerBatch: '每批顾客数',
    warmupCustomers: '预热顾客数',
    batchLag1Autocorrelation: '批均值的一阶自相关',
    measurementNote: '测量说明',
    quantity: '量',
    measured: '测量值（± 半宽）',
    theory: '理论值',
    theoryInInterval: '理论值在区间内',
    sojournMean: '平均逗留时间',
    waitMean: '平均等待时间',
    inSystemMean: '系统内平均人数',
    sojournP99: '逗留时间 p99',
    littleLaw: '利特尔法则',
    littleLawValue: (timeAverage, product, difference) => `L = ${timeAverage}，λW = ${product}（相差 ${difference}）`,
  },
  faults: { kind: '故障', target: '对象', at: '开始', ended: '结束', notEnded: '运行结束时仍未恢复' },
  slo: { name: 'SLO', from: '开始', to: '结束', worst: '最差值' },
  findings: {
    lostByCause: (count, cause) => `${count} 条消息丢失：${cause}`,
    lostWithoutCause: (count) => `${count} 条消息丢失，未记录原因`,
    noLoss: '没有消息丢失',
    duplicates: (count) => `${count} 条消息被重复投递`,
    rejectedByCause: (count, cause) => `${count} 条消息被拒绝：${cause}`,
    noOversell: '没有订单超卖',
    oversold: (units) => `超卖 ${units} 件（卖出超过库存）`,
    processedTwice: (orders) => `${orders} 个订单被重复扣减库存`,
    ordersLost: (orders) => `${orders} 个已受理订单既没有确认也没有拒绝`,
    ordersAccepted: (accepted, placed, confirmed, rejected) => `下单 ${placed} 个：网关受理 ${accepted} 个，确认 ${confirmed} 个，拒绝 ${rejected} 个`,
    orderConfirmP99: (milliseconds) => `订单确认 p99 延迟 ${milliseconds} ms`,
    endToEndP99: (milliseconds) => `消息端到端 p99 延迟 ${milliseconds} ms`,
    elections: (count, unclean) => `发生 ${count} 次 Leader 选举，其中 ${unclean} 次为非干净选举`,
    elrElections: (count) => `${count} 个领导者选自合格领导者副本（KIP-966）：这些副本虽已离开 ISR，但仍持有全部已提交的消息`,
    preferredElections: (count) => `控制器在领导者不平衡检查时将 ${count} 个分区的领导权交回首选副本（auto.leader.rebalance.enable）：这是计划内的干净选举`,
    expectationsAllMet: (count) => `全部 ${count} 项预期均已达成`,
    expectationsMissed: (missed, total, names) => `${total} 项预期中有 ${missed} 项未达成：${names}`,
    sloBreach: (slo, from, to, worst) => `SLO ${slo} 在 ${from} s 至 ${to} s 未达标（最差 ${worst}）`,
    moreSloBreaches: (count) => `……另有 ${count} 个 SLO 未达标时段（见表）`,
    conservationHolds: '守恒成立：每条生产的消息都已投递、丢失、被拒绝或仍在途',
    conservationViolated: (violations) => `守恒不成立：${violations}`,
  },
};

export const REPORT_STRINGS: { readonly [L in ReportLang]: ReportStrings } = { en, 'zh-CN': zhCN };

export function reportStrings(lang: ReportLang = 'en'): ReportStrings {
  return REPORT_STRINGS[lang];
}
