-- Catalogs, products, variants, carts and orders of WhatsApp commerce, plus the operator API keys.
-- Written for both MySQL 8 (production) and MariaDB 10.11 (local and CI): AUTO_INCREMENT ids, no
-- sequences, no JSON type (variant attributes are stored as JSON text), CHECK constraints that both
-- enforce. Stock and reservations are changed only by conditional UPDATEs (see InventoryService); the
-- CHECKs are the last line of defence against overselling.

CREATE TABLE api_key (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    name        VARCHAR(100) NOT NULL,
    key_hash    CHAR(64)     NOT NULL,
    role        VARCHAR(16)  NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    created_by  VARCHAR(100) NOT NULL,
    revoked_at  DATETIME(6)  NULL,
    revoked_by  VARCHAR(100) NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_api_key_name UNIQUE (name),
    CONSTRAINT uq_api_key_hash UNIQUE (key_hash)
) ENGINE = InnoDB;

CREATE TABLE catalog (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    name            VARCHAR(200)  NOT NULL,
    meta_catalog_id VARCHAR(64)   NULL,
    description     VARCHAR(2000) NULL,
    version         BIGINT        NOT NULL DEFAULT 0,
    created_at      DATETIME(6)   NOT NULL,
    updated_at      DATETIME(6)   NOT NULL,
    created_by      VARCHAR(100)  NOT NULL,
    updated_by      VARCHAR(100)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_catalog_meta_id UNIQUE (meta_catalog_id)
) ENGINE = InnoDB;

CREATE TABLE product (
    id           BIGINT        NOT NULL AUTO_INCREMENT,
    catalog_id   BIGINT        NOT NULL,
    retailer_id  VARCHAR(100)  NOT NULL,
    name         VARCHAR(200)  NOT NULL,
    description  VARCHAR(5000) NULL,
    price_minor  BIGINT        NOT NULL,
    currency     CHAR(3)       NOT NULL,
    image_url    VARCHAR(2000) NULL,
    availability VARCHAR(24)   NOT NULL,
    stock        INT           NOT NULL DEFAULT 0,
    reserved     INT           NOT NULL DEFAULT 0,
    version      BIGINT        NOT NULL DEFAULT 0,
    created_at   DATETIME(6)   NOT NULL,
    updated_at   DATETIME(6)   NOT NULL,
    created_by   VARCHAR(100)  NOT NULL,
    updated_by   VARCHAR(100)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_product_retailer UNIQUE (catalog_id, retailer_id),
    CONSTRAINT fk_product_catalog FOREIGN KEY (catalog_id) REFERENCES catalog (id),
    CONSTRAINT ck_product_price CHECK (price_minor >= 0),
    CONSTRAINT ck_product_stock CHECK (reserved >= 0 AND reserved <= stock)
) ENGINE = InnoDB;

CREATE INDEX ix_product_catalog_name ON product (catalog_id, name);

CREATE TABLE product_variant (
    id          BIGINT        NOT NULL AUTO_INCREMENT,
    product_id  BIGINT        NOT NULL,
    catalog_id  BIGINT        NOT NULL,
    retailer_id VARCHAR(100)  NOT NULL,
    name        VARCHAR(200)  NOT NULL,
    price_minor BIGINT        NOT NULL,
    currency    CHAR(3)       NOT NULL,
    attributes  VARCHAR(4000) NULL,
    stock       INT           NOT NULL DEFAULT 0,
    reserved    INT           NOT NULL DEFAULT 0,
    version     BIGINT        NOT NULL DEFAULT 0,
    created_at  DATETIME(6)   NOT NULL,
    updated_at  DATETIME(6)   NOT NULL,
    created_by  VARCHAR(100)  NOT NULL,
    updated_by  VARCHAR(100)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_variant_retailer UNIQUE (catalog_id, retailer_id),
    CONSTRAINT fk_variant_product FOREIGN KEY (product_id) REFERENCES product (id) ON DELETE CASCADE,
    CONSTRAINT fk_variant_catalog FOREIGN KEY (catalog_id) REFERENCES catalog (id),
    CONSTRAINT ck_variant_price CHECK (price_minor >= 0),
    CONSTRAINT ck_variant_stock CHECK (reserved >= 0 AND reserved <= stock)
) ENGINE = InnoDB;

CREATE TABLE cart (
    id             BIGINT       NOT NULL AUTO_INCREMENT,
    catalog_id     BIGINT       NOT NULL,
    customer_phone VARCHAR(20)  NOT NULL,
    status         VARCHAR(16)  NOT NULL,
    order_id       BIGINT       NULL,
    version        BIGINT       NOT NULL DEFAULT 0,
    created_at     DATETIME(6)  NOT NULL,
    updated_at     DATETIME(6)  NOT NULL,
    created_by     VARCHAR(100) NOT NULL,
    updated_by     VARCHAR(100) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_cart_catalog FOREIGN KEY (catalog_id) REFERENCES catalog (id) ON DELETE CASCADE
) ENGINE = InnoDB;

CREATE INDEX ix_cart_customer ON cart (customer_phone);

CREATE TABLE cart_item (
    id          BIGINT       NOT NULL AUTO_INCREMENT,
    cart_id     BIGINT       NOT NULL,
    product_id  BIGINT       NOT NULL,
    variant_id  BIGINT       NULL,
    retailer_id VARCHAR(100) NOT NULL,
    quantity    INT          NOT NULL,
    created_at  DATETIME(6)  NOT NULL,
    updated_at  DATETIME(6)  NOT NULL,
    created_by  VARCHAR(100) NOT NULL,
    updated_by  VARCHAR(100) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_cart_item UNIQUE (cart_id, retailer_id),
    CONSTRAINT fk_cart_item_cart FOREIGN KEY (cart_id) REFERENCES cart (id) ON DELETE CASCADE,
    CONSTRAINT fk_cart_item_product FOREIGN KEY (product_id) REFERENCES product (id) ON DELETE CASCADE,
    CONSTRAINT fk_cart_item_variant FOREIGN KEY (variant_id) REFERENCES product_variant (id) ON DELETE CASCADE,
    CONSTRAINT ck_cart_item_quantity CHECK (quantity > 0)
) ENGINE = InnoDB;

-- "order" is a reserved word in both dialects.
CREATE TABLE customer_order (
    id              BIGINT        NOT NULL AUTO_INCREMENT,
    catalog_id      BIGINT        NULL,
    meta_catalog_id VARCHAR(64)   NULL,
    customer_phone  VARCHAR(20)   NOT NULL,
    status          VARCHAR(16)   NOT NULL,
    source          VARCHAR(16)   NOT NULL,
    event_id        VARCHAR(64)   NULL,
    message_id      VARCHAR(255)  NULL,
    campaign_id     BIGINT        NULL,
    context_wamid   VARCHAR(255)  NULL,
    currency        CHAR(3)       NULL,
    total_minor     BIGINT        NULL,
    flagged         BOOLEAN       NOT NULL DEFAULT FALSE,
    flags           VARCHAR(255)  NULL,
    customer_note   VARCHAR(2000) NULL,
    version         BIGINT        NOT NULL DEFAULT 0,
    created_at      DATETIME(6)   NOT NULL,
    updated_at      DATETIME(6)   NOT NULL,
    created_by      VARCHAR(100)  NOT NULL,
    updated_by      VARCHAR(100)  NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT uq_order_event UNIQUE (event_id),
    CONSTRAINT uq_order_message UNIQUE (message_id),
    CONSTRAINT fk_order_catalog FOREIGN KEY (catalog_id) REFERENCES catalog (id) ON DELETE SET NULL
) ENGINE = InnoDB;

CREATE INDEX ix_order_customer ON customer_order (customer_phone);
CREATE INDEX ix_order_campaign ON customer_order (campaign_id);
CREATE INDEX ix_order_status ON customer_order (status);

CREATE TABLE customer_order_item (
    id                        BIGINT       NOT NULL AUTO_INCREMENT,
    order_id                  BIGINT       NOT NULL,
    product_id                BIGINT       NULL,
    variant_id                BIGINT       NULL,
    retailer_id               VARCHAR(100) NOT NULL,
    name                      VARCHAR(200) NULL,
    quantity                  INT          NOT NULL,
    unit_price_minor          BIGINT       NULL,
    currency                  CHAR(3)      NULL,
    customer_unit_price_minor BIGINT       NULL,
    customer_currency         CHAR(3)      NULL,
    reserved_quantity         INT          NOT NULL DEFAULT 0,
    flags                     VARCHAR(255) NULL,
    created_at                DATETIME(6)  NOT NULL,
    updated_at                DATETIME(6)  NOT NULL,
    created_by                VARCHAR(100) NOT NULL,
    updated_by                VARCHAR(100) NOT NULL,
    PRIMARY KEY (id),
    CONSTRAINT fk_order_item_order FOREIGN KEY (order_id) REFERENCES customer_order (id) ON DELETE CASCADE,
    CONSTRAINT fk_order_item_product FOREIGN KEY (product_id) REFERENCES product (id) ON DELETE SET NULL,
    CONSTRAINT fk_order_item_variant FOREIGN KEY (variant_id) REFERENCES product_variant (id) ON DELETE SET NULL
) ENGINE = InnoDB;
