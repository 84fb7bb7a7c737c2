// A user as the users table stores it.
export interface User {
    userId: string;
    email: string;
    name: string;
    createdAt: string;
}
