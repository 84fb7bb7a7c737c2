// Table: a document table keyed by a partition key and an optional sort key. Functions link it
// (`users.link`) and use `table("users")` from functions/runtime/clients/table.ts: get, put
// (optionally only if new), update, delete, and query one partition by sort key, a page at a time.
// With `outbox: hub.link`, a put may carry events that are published if and only if the item is
// written (a transactional outbox; ./outbox-relay.ts makes its relay).
import * as pulumi from "@pulumi/pulumi";
import type { AlarmTarget } from "./alarms";
import { ConfigError, provider, target } from "./cloud";
import { Link, linkVariable } from "./link";
import { outboxRelay } from "./outbox-relay";

export interface TableNetworkArgs {
    /** The VPC to place the table's cluster in. */
    vpcId: pulumi.Input<string>;
    /** A subnet of that VPC, in the table's availability zone; functions that link the table run in it. */
    subnetId: pulumi.Input<string>;
    /** The security group bound to the cluster; it must let the subnet reach MySQL (TCP 3306). */
    securityGroupId: pulumi.Input<string>;
}

export interface TableArgs {
    /**
     * The attribute every item is found by; its values are strings. Letters, digits, `_`, `-`
     * and `.`, starting with a letter or `_`, at most 255 characters.
     *
     * @example partitionKey: "userId"
     */
    partitionKey: string;
    /**
     * An attribute that orders the items of one partition (by UTF-8 bytes); its values are
     * strings. With it, the key of an item is the pair, and `query` reads ranges of it.
     *
     * @example sortKey: "createdAt"
     */
    sortKey?: string;
    /**
     * An attribute holding a time in epoch seconds after which the item expires: reads skip it
     * from then on, and the table deletes it later (DynamoDB TTL on AWS; as the client writes elsewhere).
     *
     * @example ttlAttribute: "expiresAt"
     */
    ttlAttribute?: string;
    /**
     * Tencent Cloud only: place the table's TDSQL-C cluster in an existing VPC, subnet and
     * security group instead of the stack's table network (one VPC all the stack's tables share,
     * with a subnet per zone and a security group letting only that VPC reach MySQL). Functions
     * that link the table run in the subnet; a function runs in one VPC, so the tables one
     * function links must share it.
     *
     * @example network: { vpcId: "vpc-0a1b2c3d", subnetId: "subnet-0a1b2c3d", securityGroupId: "sg-0a1b2c3d" }
     */
    network?: TableNetworkArgs;
    /**
     * Tencent Cloud only: the availability zone of the cluster (and of its subnet). Defaults per
     * region (`ap-guangzhou-4`, `ap-shanghai-2`, `ap-beijing-3`); required in other regions.
     *
     * @example availabilityZone: "ap-guangzhou-6"
     */
    availabilityZone?: string;
    /**
     * A hub's link: events written with items of this table (`put(item, { publish })`) are
     * relayed to this hub. Writing an event with the item makes it certain: it is published
     * (at least once, with an id fixed at the write, `detail.outboxEventId`) if and only if the
     * item was written. Adds a relay task (`<table>-outbox-relay`, every minute, with retries and
     * a dead-letter queue) that publishes what the writer could not, and on AWS a sparse index.
     *
     * @example outbox: hub.link
     */
    outbox?: pulumi.Input<Link>;
    /**
     * Who hears of the outbox relay's dead letters and errors: an Alarms' `target`. Only with `outbox`.
     *
     * @example alarms: alarms.target
     */
    alarms?: pulumi.Input<AlarmTarget>;
}

/** What the clouds' table realisations read of the outbox (beside the provider's TableSpec). */
export interface OutboxTableSpec {
    /** The table has an outbox: AWS adds the outbox's index and the relay's access to it. */
    outbox?: boolean;
}

/** DynamoDB takes any 1-255 bytes; this keeps names that read well in every SQL and shell too. */
const ATTRIBUTE_NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,254}$/;
/** Names become DynamoDB, MySQL, CynosDB and file names: a letter, then letters, digits, `-` and `_`. */
const TABLE_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,47}$/;

/**
 * A document table.
 *
 * @example
 * const orders = new Table("orders", { partitionKey: "customerId", sortKey: "orderId" });
 * new Function("checkout", { handler: "functions/orders/checkout.handler", link: [orders.link] });
 */
export class Table extends pulumi.ComponentResource {
    /** The physical table: a DynamoDB table name, the MySQL table in the cluster, or the local table's name. */
    public readonly tableName!: pulumi.Output<string>;
    /** The table's ARN on AWS, its cluster's `qcs::cynosdb:...` resource on Tencent Cloud, `local:table:<name>` locally. */
    public readonly resourceId!: pulumi.Output<string>;
    /** Give it to a Function's `link` to read and write the table. */
    public readonly link!: pulumi.Output<Link>;
    /** Give it to a Function's `link` to read the table only: get and query; a write is refused. */
    public readonly readLink!: pulumi.Output<Link>;

    constructor(name: string, args: TableArgs, opts?: pulumi.ComponentResourceOptions) {
        const spec = checkTableArgs(name, args);
        super("serverless-blocks:index:Table", name, {}, opts);
        const realised = provider().table(this, spec);
        // The writers' client learns the outbox's hub from the link: SB_TABLE_<NAME>_OUTBOX=<hub>.
        const link = args.outbox === undefined
            ? pulumi.output(realised.link)
            : pulumi.all([realised.link, args.outbox]).apply(([tableLink, hub]) => {
                if (hub.type !== "hub") throw new ConfigError(`Table '${name}' outbox`, `a ${hub.type} link ('${hub.name}')`, "a hub's link (outbox: hub.link)");
                return withOutbox(tableLink as Link, hub.name);
            });
        Object.assign(this, {
            tableName: realised.tableName,
            resourceId: realised.resourceId,
            link,
            readLink: pulumi.output(realised.readLink),
        });
        if (args.outbox !== undefined) outboxRelay({ table: name, tableLink: link, hub: args.outbox, alarms: args.alarms }, this);
        this.registerOutputs({ tableName: this.tableName, resourceId: this.resourceId, link: this.link, readLink: this.readLink });
    }
}

/** The validated spec of a Table; throws ConfigError naming the key before anything registers. */
export function checkTableArgs(name: string, args: TableArgs) {
    const stack = target();
    const where = `Table '${name}'`;
    if (!TABLE_NAME.test(name)) {
        throw new ConfigError(`${where} name`, name, "table names take a letter, then up to 47 letters, digits, '-' and '_'");
    }
    const attribute = (key: string, value: unknown, required: boolean): string | undefined => {
        if (value === undefined && !required) return undefined;
        if (typeof value !== "string" || !ATTRIBUTE_NAME.test(value)) {
            throw new ConfigError(`${where} ${key}`, value, "attribute names take letters, digits, '_', '-' and '.', starting with a letter or '_', at most 255");
        }
        return value;
    };
    const partitionKey = attribute("partitionKey", args.partitionKey, true)!;
    const sortKey = attribute("sortKey", args.sortKey, false);
    const ttlAttribute = attribute("ttlAttribute", args.ttlAttribute, false);
    if (sortKey === partitionKey) throw new ConfigError(`${where} sortKey`, sortKey, "the sort key must differ from the partition key");
    if (ttlAttribute !== undefined && (ttlAttribute === partitionKey || ttlAttribute === sortKey)) {
        throw new ConfigError(`${where} ttlAttribute`, ttlAttribute, "the TTL attribute holds a number; it cannot be a key attribute (their values are strings)");
    }
    if (args.availabilityZone !== undefined && !/^[a-z]+-[a-z]+-\d+$/.test(args.availabilityZone)) {
        throw new ConfigError(`${where} availabilityZone`, args.availabilityZone, "expected a zone such as ap-guangzhou-3");
    }
    if (args.outbox === undefined && args.alarms !== undefined) {
        throw new ConfigError(`${where} alarms`, "(an alarm target)", "alarms are for the outbox relay: give 'outbox' (a hub's link) too, or leave 'alarms' out");
    }
    if (args.outbox !== null && args.outbox !== undefined && typeof args.outbox !== "object") {
        throw new ConfigError(`${where} outbox`, args.outbox, "a hub's link (outbox: hub.link)");
    }
    if (args.network !== undefined) {
        for (const key of ["vpcId", "subnetId", "securityGroupId"] as const) {
            if (args.network[key] === undefined || args.network[key] === "") throw new ConfigError(`${where} network.${key}`, undefined, "a given network names its VPC, subnet and security group");
        }
    }
    return {
        name,
        partitionKey,
        sortKey,
        ttlAttribute,
        network: args.network,
        availabilityZone: args.availabilityZone,
        outbox: args.outbox !== undefined,
        protect: stack.protect,
    };
}

/** The table's link telling the client which hub its outbox publishes to. */
function withOutbox(link: Link, hubName: string): Link {
    return { ...link, environment: { ...link.environment, [linkVariable("table", link.name, "outbox")]: hubName } };
}

/** The variables every target's link sets: how the client finds the table and its key. */
export function keyEnvironment(spec: { name: string; partitionKey: string; sortKey?: string; ttlAttribute?: string }, tableName: pulumi.Input<string>): { [key: string]: pulumi.Input<string> } {
    const variable = (key: string) => linkVariable("table", spec.name, key);
    return {
        [variable("name")]: tableName,
        [variable("partition_key")]: spec.partitionKey,
        ...(spec.sortKey ? { [variable("sort_key")]: spec.sortKey } : {}),
        ...(spec.ttlAttribute ? { [variable("ttl_attribute")]: spec.ttlAttribute } : {}),
    };
}

/**
 * What a read link adds to a link's variables: `SB_TABLE_<NAME>_ACCESS=read`, so the runtime
 * client refuses put/update/delete with a clear error on every target (the cloud policy refuses too).
 */
export function readAccessEnvironment(name: string): { [key: string]: string } {
    return { [linkVariable("table", name, "access")]: "read" };
}

/** The read link beside `link`: its variables plus read access, with the given permissions. */
export function readLinkOf(link: Link, permissions: Link["permissions"]): Link {
    return { ...link, environment: { ...link.environment, ...readAccessEnvironment(link.name) }, permissions };
}
