// A route's roles against the verified claims: the claim as each target delivers it, the 403, and
// the route's settings from its environment.
import * as assert from "node:assert/strict";
import { claimRoles, requireRole, rolesFromEnv, ROLES_ENV } from "../../functions/runtime/adapters/route-roles";
import { HttpError } from "../../functions/runtime/http";

describe("a route's roles", () => {
    it("reads the roles claim as an array (Tencent, local) or as API Gateway renders one on AWS", () => {
        assert.deepEqual(claimRoles({ roles: ["admin", "user"] }), ["admin", "user"]);
        assert.deepEqual(claimRoles({ roles: "[admin user]" }), ["admin", "user"]);
        assert.deepEqual(claimRoles({ roles: "[admin]" }), ["admin"]);
        assert.deepEqual(claimRoles({ roles: "admin" }), ["admin"]);
        assert.deepEqual(claimRoles({ roles: "admin,user" }), ["admin", "user"]);
        assert.deepEqual(claimRoles({ roles: "[]" }), []);
        assert.deepEqual(claimRoles({ roles: [1, "ok", null] }), ["ok"]);
        assert.deepEqual(claimRoles({ sub: "u" }), []);
        assert.deepEqual(claimRoles(undefined), []);
    });

    it("lets a token with one of the roles through and refuses others with 403 forbidden", () => {
        requireRole({ roles: ["user", "admin"] }, ["admin"]);
        requireRole({ roles: "[support]" }, ["admin", "support"]);
        const refused = (claims: Record<string, unknown> | undefined, roles: string[]): HttpError => {
            try {
                requireRole(claims, roles);
            } catch (error) {
                assert.ok(HttpError.is(error));
                return error;
            }
            throw new assert.AssertionError({ message: "expected a refusal" });
        };
        const error = refused({ roles: ["user"] }, ["admin", "support"]);
        assert.equal(error.status, 403);
        assert.equal(error.code, "forbidden");
        assert.equal(error.message, "this route needs one of the roles 'admin', 'support'; the token's roles claim has 'user'");
        assert.deepEqual(error.details, { anyOf: ["admin", "support"] });
        assert.match(refused(undefined, ["admin"]).message, /the token's roles claim has none/);
        assert.equal(refused({ roles: "[administrator]" }, ["admin"]).status, 403, "a role is matched whole");
    });

    it("reads the route's roles from SB_API_ROLES, refusing a malformed value", () => {
        assert.equal(ROLES_ENV, "SB_API_ROLES");
        assert.equal(rolesFromEnv({}), undefined);
        assert.deepEqual(rolesFromEnv({ [ROLES_ENV]: '["admin","support"]' }), ["admin", "support"]);
        for (const bad of ["admin", "[]", '[""]', "[1]", "{}"]) {
            assert.throws(() => rolesFromEnv({ [ROLES_ENV]: bad }), /SB_API_ROLES must be a JSON array of role names \(set by the API's link\)/, bad);
        }
    });
});
