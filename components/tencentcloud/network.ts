// The private network Tencent Cloud Tables live in, unless a table names its own: one per stack,
// so that a function linking several tables runs in the one VPC they share. It is a component of
// its own at the top of the stack (`serverless-blocks:index:TableNetwork` "tables"): a VPC, a
// subnet per availability zone the tables use, and one security group for the clusters that lets
// only that VPC reach MySQL. Functions linking a table are placed in its subnet
// (components/function.ts reads the link's `vpcId`/`subnetId`), so no cluster needs a public address.
import * as pulumi from "@pulumi/pulumi";
import { ConfigError } from "../config";
import { SecurityGroup, Subnet, Vpc } from "./sdk";
import { SecurityGroupLiteRule } from "./sdk/security-group-lite-rule";

/** The VPC's block: one of the private ranges Tencent Cloud VPCs take. */
export const TABLE_VPC_CIDR = "10.0.0.0/16";
export const MYSQL_PORT = 3306;

export interface TableNetwork {
    vpcId: pulumi.Output<string>;
    subnetId: pulumi.Output<string>;
    securityGroupId: pulumi.Output<string>;
}

/**
 * A zone's subnet block, fixed by the zone's number so that adding a zone never moves another:
 * zone N gets 10.0.(16N).0/20, 4,091 addresses, room for the ENIs SCF places functions with.
 */
export function subnetCidr(zone: string, where: string): string {
    const n = Number(/-(\d+)$/.exec(zone)?.[1]);
    if (!Number.isInteger(n) || n < 1 || n > 15) throw new ConfigError(`${where} availabilityZone`, zone, "the stack's table network has a subnet for zones numbered 1 to 15; give the table a `network` of your own for this zone");
    return `10.0.${n * 16}.0/20`;
}

class TableNetworkComponent extends pulumi.ComponentResource {
    readonly vpc: Vpc;
    readonly securityGroup: SecurityGroup;
    private readonly subnets = new Map<string, Subnet>();

    constructor(private readonly prefix: string) {
        super("serverless-blocks:index:TableNetwork", prefix, {}, {});
        const name = prefix;
        const opts = { parent: this };
        this.vpc = new Vpc(`${name}-vpc`, { cidrBlock: TABLE_VPC_CIDR }, opts);
        this.securityGroup = new SecurityGroup(`${name}-sg`, { description: "MySQL of the stack's tables, from their VPC only" }, opts);
        // Rules apply top down; TDSQL-C ignores outbound rules (it opens no connections).
        new SecurityGroupLiteRule(`${name}-sg-rules`, {
            securityGroupId: this.securityGroup.id,
            ingresses: [`ACCEPT#${TABLE_VPC_CIDR}#${MYSQL_PORT}#TCP`, "DROP#0.0.0.0/0#ALL#ALL"],
        }, opts);
        this.registerOutputs({ vpcId: this.vpc.id, securityGroupId: this.securityGroup.id });
    }

    /** The subnet of `zone` (made on first use; its CIDR is already checked). */
    subnet(zone: string, cidrBlock: string): Subnet {
        let subnet = this.subnets.get(zone);
        if (!subnet) {
            subnet = new Subnet(`${this.prefix}-${zone}`, { vpcId: this.vpc.id, cidrBlock, availabilityZone: zone }, { parent: this });
            this.subnets.set(zone, subnet);
        }
        return subnet;
    }
}

const NETWORK_NAME = "tables";
/** One network per evaluation of the program (keyed by its Stack resource), or per constructed component. */
const networks = new WeakMap<object, TableNetworkComponent>();

/** Pulumi's own record of a resource's parent and name (not in the SDK's typings). */
interface ResourceInternals {
    __parentResource?: ResourceInternals;
    __name?: string;
}

/**
 * The component a provider's Construct made, found by walking up from `resource`: the last of our
 * resources below the parent the request named (a reference the provider knows only by its URN).
 */
export function constructedRoot(resource: pulumi.Resource, suffix = "network"): { resource: object; name: string } {
    let node = resource as unknown as ResourceInternals;
    while (node.__parentResource?.__parentResource) node = node.__parentResource;
    return { resource: node.__parentResource ?? node, name: `${node.__name ?? "table"}-${suffix}` };
}

/**
 * The stack's table network, with a subnet in `zone`. Checks the zone before registering anything.
 * In a component provider (another language's program) there is no stack resource to share by:
 * there the tables of one constructed component (e.g. an Auth's two) share a network named after
 * it, and a Table constructed on its own gets one named after itself.
 */
export function tableNetwork(table: pulumi.Resource, name: string, zone: string, where: string): TableNetwork {
    const cidr = subnetCidr(zone, where);
    const stack = pulumi.runtime.getStackResource();
    const owner: { resource: object; name?: string } = stack ? { resource: stack } : constructedRoot(table);
    let network = networks.get(owner.resource);
    if (!network) {
        network = new TableNetworkComponent(owner.name ?? NETWORK_NAME);
        networks.set(owner.resource, network);
    }
    const subnet = network.subnet(zone, cidr);
    return { vpcId: network.vpc.id, subnetId: subnet.id, securityGroupId: network.securityGroup.id };
}
