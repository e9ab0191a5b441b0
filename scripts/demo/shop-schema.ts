/**
 * The demo shop's MariaDB schema, shared by the captures made against a real MariaDB
 * (capture-mysql-binlog.ts for the rows, capture-mysql-grants.ts for the accounts and grants).
 */
export const SHOP_SCHEMA = [
  'CREATE DATABASE shop CHARACTER SET utf8mb4',
  `CREATE TABLE shop.users (
    id INT PRIMARY KEY, name VARCHAR(32) COMMENT '姓名', phone VARCHAR(20) COMMENT '手机号', email VARCHAR(128),
    id_card CHAR(18) COMMENT '身份证号', birthday DATE, address VARCHAR(255), created_at DATETIME) COMMENT 'customers'`,
  'CREATE TABLE shop.orders (order_no CHAR(18) PRIMARY KEY, user_id INT, amount_cents INT, status VARCHAR(16), created_at DATETIME)',
  "CREATE TABLE shop.payments (id INT AUTO_INCREMENT PRIMARY KEY, order_no CHAR(18), card_no VARCHAR(19) COMMENT '银行卡号', paid_at DATETIME)",
];
